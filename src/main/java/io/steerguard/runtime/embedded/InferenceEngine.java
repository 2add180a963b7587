package io.steerguard.runtime.embedded;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Continuous batching on one dedicated inference thread. Between two forward steps, finished and
 * cancelled sequences leave the batch and waiting ones join it; each step packs the single next
 * token of every running sequence plus the whole prompts of newly admitted ones.
 *
 * <ul>
 *   <li>Admission queue bounded by {@code queueCapacity}: a full queue rejects at once with
 *       {@link RuntimeFault.Kind#OVERLOADED} (back-pressure to the client, never unbounded memory).</li>
 *   <li>At most {@code maxBatch} running sequences; {@link Priority#BACKGROUND} work is admitted
 *       only while no interactive request waits.</li>
 *   <li>Running sequence {@code i} always owns KV-cache slot {@code i}: when one leaves, the last
 *       one moves into its slot, so decode steps read slots {@code 0..B-1} as one view.</li>
 *   <li>Cancellation removes a waiting request at once and a running one at the next step boundary.</li>
 * </ul>
 */
final class InferenceEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceEngine.class.getName());

    /** The engine's handle on one submitted sequence. */
    static final class Sequence {
        final SequenceRequest request;
        final SequenceListener listener;
        volatile boolean cancelled;
        boolean done;
        int[] prompt;
        int slot = -1;
        int cached;
        int nextToken = -1;
        int generated;

        Sequence(SequenceRequest request, SequenceListener listener) {
            this.request = request;
            this.listener = listener;
        }
    }

    private final Transformer model;
    private final int maxBatch;
    private final int maxContext;
    private final int queueCapacity;
    private final int prefillBudget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Deque<Sequence> interactive = new ArrayDeque<>();
    private final Deque<Sequence> background = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile int runningCount;

    /**
     * @param prefillBudget prompt tokens admitted per step beyond the first new prompt, so a burst of
     *                      long prompts does not stall running sequences for many prompt-lengths
     */
    InferenceEngine(String name, Transformer model, int maxBatch, int maxContext, int queueCapacity, int prefillBudget) {
        if (maxBatch < 1 || maxBatch > model.cache().slots()) {
            throw new IllegalArgumentException("maxBatch must be within [1, " + model.cache().slots() + "]");
        }
        if (maxContext < 2 || maxContext > model.cache().maxContext()) {
            throw new IllegalArgumentException("maxContext must be within [2, " + model.cache().maxContext() + "]");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must not be negative");
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxContext = maxContext;
        this.queueCapacity = queueCapacity;
        this.prefillBudget = prefillBudget;
        this.thread = new Thread(this::loop, "steerguard-inference-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a sequence. Never blocks.
     *
     * @throws RuntimeFault OVERLOADED when the queue is full, INVALID_REQUEST for steering or
     *                      introspection the model cannot honour, UNAVAILABLE after close
     */
    Sequence submit(SequenceRequest request, SequenceListener listener) {
        RequestChecks.check(model.config(), request);
        Sequence seq = new Sequence(request, listener);
        lock.lock();
        try {
            if (closed) {
                throw new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "the embedded runtime is closed");
            }
            if (interactive.size() + background.size() >= queueCapacity
                    && !(runningCount < maxBatch && interactive.isEmpty() && background.isEmpty())) {
                throw new RuntimeFault(RuntimeFault.Kind.OVERLOADED, "the embedded runtime's queue is full ("
                        + queueCapacity + " waiting); retry later");
            }
            (request.priority() == Priority.INTERACTIVE ? interactive : background).addLast(seq);
            work.signal();
        } finally {
            lock.unlock();
        }
        return seq;
    }

    /** Cancels a sequence: a waiting one leaves the queue now, a running one frees its slot before the next step. */
    void cancel(Sequence seq) {
        seq.cancelled = true;
        lock.lock();
        try {
            interactive.remove(seq);
            background.remove(seq);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Sequences in the running batch (for tests and metrics). */
    int runningCount() {
        return runningCount;
    }

    /** Sequences waiting for a slot. */
    int waitingCount() {
        lock.lock();
        try {
            return interactive.size() + background.size();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            List<Sequence> admitted;
            try {
                admitted = awaitWork();
            } catch (InterruptedException e) {
                break;
            }
            if (admitted == null) {
                break;
            }
            try {
                step(admitted);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "inference step failed", e);
                RuntimeFault fault = new RuntimeFault(RuntimeFault.Kind.INTERNAL, "inference failed: " + e, e);
                for (Sequence s : new ArrayList<>(running)) {
                    if (!s.done && !s.cancelled) {
                        s.listener.onFailed(fault);
                    }
                    s.cancelled = true;
                }
                removeFinished();
            }
            runningCount = running.size();
        }
        RuntimeFault fault = new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "the embedded runtime is closed");
        running.forEach(s -> s.listener.onFailed(fault));
        running.clear();
        model.close();
    }

    /**
     * Waits until there is something to run; returns newly admitted sequences, or null on close.
     * Candidates leave the queues under the lock, but their prompts are encoded (chat template and
     * tokenizer: milliseconds to seconds for a long chat) after it is released, so submit() and
     * cancel(), which the event loop calls, never wait for a tokenizer.
     */
    private List<Sequence> awaitWork() throws InterruptedException {
        removeFinished(); // outside the lock: moving KV-cache slots must not delay submit()
        List<Sequence> candidates = new ArrayList<>();
        lock.lock();
        try {
            while (!closed && running.isEmpty() && interactive.isEmpty() && background.isEmpty()) {
                work.await();
            }
            if (closed) {
                drainQueue(interactive);
                drainQueue(background);
                return null;
            }
            while (running.size() + candidates.size() < maxBatch) {
                Sequence next = interactive.peekFirst() != null ? interactive.peekFirst()
                        : interactive.isEmpty() ? background.peekFirst() : null;
                if (next == null) {
                    break;
                }
                (next.request.priority() == Priority.INTERACTIVE ? interactive : background).pollFirst();
                candidates.add(next);
            }
        } finally {
            lock.unlock();
        }
        List<Sequence> admitted = new ArrayList<>();
        List<Sequence> notNow = new ArrayList<>();
        int budget = prefillBudget;
        for (Sequence next : candidates) {
            if (!notNow.isEmpty() || (!admitted.isEmpty() && budget <= 0)) {
                notNow.add(next); // over this step's prefill budget: back to the front of its queue
                continue;
            }
            if (!prepare(next)) {
                continue;
            }
            budget -= next.prompt.length;
            next.slot = running.size();
            running.add(next);
            admitted.add(next);
        }
        if (!notNow.isEmpty()) {
            requeueFirst(notNow);
        }
        return admitted;
    }

    /** Puts sequences taken from the queues back at their front, in their order; cancelled ones stay out. */
    private void requeueFirst(List<Sequence> sequences) {
        lock.lock();
        try {
            for (int i = sequences.size() - 1; i >= 0; i--) {
                Sequence s = sequences.get(i);
                if (!s.cancelled) {
                    (s.request.priority() == Priority.INTERACTIVE ? interactive : background).addFirst(s);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void drainQueue(Deque<Sequence> queue) {
        RuntimeFault fault = new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "the embedded runtime is closed");
        for (Sequence s : queue) {
            s.listener.onFailed(fault);
        }
        queue.clear();
    }

    /** Encodes the prompt (on this thread) and checks it fits; false when the sequence failed. */
    private boolean prepare(Sequence seq) {
        try {
            int[] prompt = seq.request.prompt().get();
            if (prompt.length == 0) {
                throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, "the prompt encodes to no tokens");
            }
            if (prompt.length > maxContext) {
                throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, "the prompt has " + prompt.length
                        + " tokens, more than the runtime's context of " + maxContext + " tokens");
            }
            int vocab = model.config().vocabSize();
            for (int id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, "token id " + id
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
            seq.prompt = prompt;
            return true;
        } catch (RuntimeFault f) {
            seq.listener.onFailed(f);
        } catch (RuntimeException e) {
            seq.listener.onFailed(new RuntimeFault(RuntimeFault.Kind.INTERNAL, "cannot encode the prompt: " + e, e));
        }
        return false;
    }

    /** One forward step over every running sequence. */
    private void step(List<Sequence> admitted) {
        List<StepSequence> inputs = new ArrayList<>(running.size());
        List<Sequence> order = new ArrayList<>(running.size());
        for (Sequence s : running) {
            if (s.cancelled) {
                continue;
            }
            boolean prefill = admitted.contains(s);
            int[] tokens = prefill ? s.prompt : new int[]{s.nextToken};
            var intro = s.request.introspection();
            inputs.add(new StepSequence(s.slot, tokens, s.cached, s.prompt.length, s.request.steering(),
                    prefill ? intro.captureLayers() : List.of()));
            order.add(s);
        }
        if (inputs.isEmpty()) {
            removeFinished();
            return;
        }
        Transformer.StepResult result = model.forward(inputs);
        for (int i = 0; i < order.size(); i++) {
            Sequence s = order.get(i);
            s.cached += inputs.get(i).tokens().length;
            if (s.cancelled) {
                continue;
            }
            float[] logits = result.logits()[i];
            boolean prefill = admitted.contains(s);
            var intro = s.request.introspection();
            try {
                if (prefill && !intro.isNone()) {
                    Map<Integer, float[]> residuals = result.captures().get(i);
                    s.listener.onCaptured(residuals, intro.firstTokenLogProbs() ? LogProbs.of(logits) : null);
                }
                advance(s, logits);
            } catch (RuntimeException e) {
                // a failing sampler or subscriber ends its own sequence, never its neighbours
                LOG.log(Level.WARNING, "sequence " + s.request.id() + " failed", e);
                if (!s.done) {
                    s.done = true;
                    s.listener.onFailed(new RuntimeFault(RuntimeFault.Kind.INTERNAL, "generation failed: " + e, e));
                }
                s.cancelled = true;
            }
        }
        removeFinished();
    }

    /** Chooses the next token, reports it, and decides whether the sequence goes on. */
    private void advance(Sequence s, float[] logits) {
        TokenChooser chooser = s.request.chooser();
        int token = chooser.choose(logits);
        double logprob = chooser.logProb(logits, token);
        s.generated++;
        boolean eos = s.request.eosIds().contains(token);
        boolean goOn = s.listener.onToken(token, logprob, eos);
        FinishReason reason = null;
        if (eos || !goOn) {
            reason = FinishReason.STOP;
        } else if (s.generated >= s.request.maxTokens() || s.cached >= maxContext) {
            reason = FinishReason.LENGTH;
        }
        if (reason != null) {
            s.done = true;
            s.cancelled = true; // leaves the batch below
            s.listener.onFinished(reason, new Usage(s.prompt.length, s.generated));
        } else {
            s.nextToken = token;
        }
    }

    /** Drops finished and cancelled sequences, moving the last running one into each freed slot. */
    private void removeFinished() {
        for (int i = running.size() - 1; i >= 0; i--) {
            Sequence s = running.get(i);
            if (!s.cancelled) {
                continue;
            }
            int last = running.size() - 1;
            if (i != last) {
                Sequence moved = running.get(last);
                model.cache().move(last, i, moved.cached);
                moved.slot = i;
                running.set(i, moved);
            }
            running.remove(last);
        }
        runningCount = running.size();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
