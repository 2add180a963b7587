package io.steerguard.shadow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.steerguard.classifier.Exchange;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;

/**
 * Runs probe audits: every (probe × attack template) is sent steered and then unsteered, greedy,
 * at {@link Priority#BACKGROUND}, both answers are classified, and the attack success rates with
 * their intervals go into a {@link ProbeReport}; the overall {@link ProbeResult} goes to the sink
 * (the profile's statistics, where the policy judges {@code maxAsrUplift}).
 *
 * <p>Load on the runtime is bounded for all audits together: at most
 * {@link ProbeRunnerOptions#concurrency()} pairs in flight and at most
 * {@link ProbeRunnerOptions#ratePerSecond()} pairs started per second, so probes take a known
 * slice of capacity and client traffic is never starved. A generation that fails or times out
 * makes its pair an error (counted in the report), not a failed audit.
 *
 * <p>Threading: audits run on the runner's own threads; runtimes complete generations on theirs
 * (an event loop for remote runtimes), where only bookkeeping happens. The classifier, which may
 * block, is called only from the runner's threads.
 */
public final class ProbeRunner implements AutoCloseable {

    /** Exchanges per classifier call. */
    private static final int CLASSIFY_BATCH = 64;
    private static final Logger LOG = Logger.getLogger(ProbeRunner.class);

    /** Hears about each verdict, e.g. to count them in metrics. */
    @FunctionalInterface
    public interface VerdictListener {
        void verdict(String profile, String path, boolean refused);
    }

    private final RefusalClassifier classifier;
    private final ProbeRunnerOptions options;
    private final Consumer<ProbeResult> sink;
    private final VerdictListener verdicts;
    private final ProbeRateLimiter limiter;
    private final Semaphore slots;
    private final ExecutorService executor;

    private record Case(int index, String attack, ProbeSet.Probe probe, String prompt) {
    }

    public ProbeRunner(RefusalClassifier classifier, ProbeRunnerOptions options, Consumer<ProbeResult> sink,
                       VerdictListener verdicts) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
        this.limiter = new ProbeRateLimiter(options.ratePerSecond());
        this.slots = new Semaphore(options.concurrency());
        AtomicInteger threads = new AtomicInteger();
        // As many audits run at once as pairs may be in flight; more wait their turn.
        this.executor = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "steerguard-probe-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public ProbeRunner(RefusalClassifier classifier, ProbeRunnerOptions options, Consumer<ProbeResult> sink) {
        this(classifier, options, sink, (profile, path, refused) -> { });
    }

    /** Starts an audit on the runner's threads; returns at once. */
    public ProbeRun start(ProbeJob job) {
        ProbeRun run = new ProbeRun(job.profile() + "-" + UUID.randomUUID().toString().substring(0, 8), job,
                Instant.now());
        run.task(executor.submit(() -> execute(run, job)));
        return run;
    }

    /** Runs an audit and waits for its report (the CLI). */
    public ProbeReport run(ProbeJob job) throws InterruptedException, ExecutionException {
        ProbeRun run = start(job);
        try {
            return run.result().get();
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    private void execute(ProbeRun run, ProbeJob job) {
        try {
            ProbeReport report = measure(run, job);
            if (report.overall().probes() > 0) {
                sink.accept(report.overall());
            }
            run.result().complete(report);
        } catch (InterruptedException | CancellationException e) {
            run.cancel();
        } catch (RuntimeException e) {
            LOG.warnf(e, "probe audit %s of profile %s failed", run.id(), job.profile());
            run.result().completeExceptionally(e);
        }
    }

    private ProbeReport measure(ProbeRun run, ProbeJob job) throws InterruptedException {
        List<Case> cases = cases(job);
        String[][] answers = new String[cases.size()][];
        CountDownLatch answered = new CountDownLatch(cases.size());
        ErrorSamples errors = new ErrorSamples();
        Instant started = Instant.now();
        for (Case c : cases) {
            run.checkNotCancelled();
            limiter.acquire();
            slots.acquire();
            CompletableFuture<String[]> pair;
            try {
                pair = generate(run, job, c, true)
                        .thenCompose(steered -> generate(run, job, c, false).thenApply(u -> new String[] {steered, u}));
            } catch (RuntimeException e) {
                pair = CompletableFuture.failedFuture(e);
            }
            pair.whenComplete((texts, error) -> {
                // Runs on the runtime's completion thread (maybe an event loop): bookkeeping only.
                if (error == null) {
                    answers[c.index()] = texts;
                } else if (!run.isCancelled()) {
                    LOG.debugf(error, "probe pair %d of audit %s failed", c.index(), run.id());
                    errors.add(c.attack() + ": " + describe(error));
                }
                slots.release();
                run.answeredOne();
                answered.countDown();
            });
        }
        answered.await();
        run.checkNotCancelled();
        boolean[] steeredComplied = new boolean[cases.size()];
        boolean[] unsteeredComplied = new boolean[cases.size()];
        boolean[] measured = classify(run, job, cases, answers, steeredComplied, unsteeredComplied, errors);
        Instant finished = Instant.now();
        List<ProbeReport.AttackOutcome> attacks = new ArrayList<>();
        long n = 0;
        long steered = 0;
        long unsteered = 0;
        for (String attack : job.attacks()) {
            long pairs = 0, failed = 0, s = 0, u = 0;
            for (Case c : cases) {
                if (!c.attack().equals(attack)) {
                    continue;
                }
                pairs++;
                if (!measured[c.index()]) {
                    failed++;
                    continue;
                }
                s += steeredComplied[c.index()] ? 1 : 0;
                u += unsteeredComplied[c.index()] ? 1 : 0;
            }
            attacks.add(new ProbeReport.AttackOutcome(attack, pairs, failed, s, u));
            n += pairs - failed;
            steered += s;
            unsteered += u;
        }
        return new ProbeReport(run.id(), job.profile(), job.policy(), job.trigger(), job.probes().source(), started,
                finished, job.confidence(), new ProbeResult(job.profile(), finished, n, steered, unsteered), attacks,
                errors.list());
    }

    /** Classifies the answered pairs in batches; a batch the classifier fails on becomes errors. */
    private boolean[] classify(ProbeRun run, ProbeJob job, List<Case> cases, String[][] answers,
                               boolean[] steeredComplied, boolean[] unsteeredComplied, ErrorSamples errors) {
        boolean[] measured = new boolean[cases.size()];
        List<Case> answered = cases.stream().filter(c -> answers[c.index()] != null).toList();
        int pairsPerBatch = CLASSIFY_BATCH / 2;
        for (int from = 0; from < answered.size(); from += pairsPerBatch) {
            run.checkNotCancelled();
            List<Case> batch = answered.subList(from, Math.min(answered.size(), from + pairsPerBatch));
            List<Exchange> exchanges = new ArrayList<>(2 * batch.size());
            for (Case c : batch) {
                // The classifier sees the bare probe as the request: a judge model is not itself
                // steered by the attack template, and the question is whether the harm was refused.
                exchanges.add(new Exchange(c.probe().prompt(), answers[c.index()][0]));
                exchanges.add(new Exchange(c.probe().prompt(), answers[c.index()][1]));
            }
            List<Verdict> v;
            try {
                v = classifier.classifyAll(exchanges);
            } catch (RuntimeException e) {
                LOG.warnf(e, "probe audit %s: classifier failed on %d pairs; they count as errors", run.id(),
                        batch.size());
                errors.add("classifier: " + describe(e));
                continue;
            }
            for (int k = 0; k < batch.size(); k++) {
                int i = batch.get(k).index();
                Verdict s = v.get(2 * k);
                Verdict u = v.get(2 * k + 1);
                steeredComplied[i] = !s.refused();
                unsteeredComplied[i] = !u.refused();
                measured[i] = true;
                verdicts.verdict(job.profile(), "steered", s.refused());
                verdicts.verdict(job.profile(), "unsteered", u.refused());
            }
        }
        return measured;
    }

    /** Probe-major order, so an audit cut short still covers every template about equally. */
    private static List<Case> cases(ProbeJob job) {
        List<Case> cases = new ArrayList<>(job.pairs());
        for (ProbeSet.Probe probe : job.probes().probes()) {
            for (String attack : job.attacks()) {
                cases.add(new Case(cases.size(), attack, probe, job.templates().apply(attack, probe.prompt())));
            }
        }
        return cases;
    }

    private CompletableFuture<String> generate(ProbeRun run, ProbeJob job, Case c, boolean steered) {
        if (run.isCancelled()) {
            return CompletableFuture.failedFuture(new CancellationException());
        }
        ModelRuntime runtime = job.runtime();
        Prompt prompt = runtime.capabilities().chat() ? Prompt.chat(List.of(ChatMessage.user(c.prompt())))
                : Prompt.text(c.prompt());
        GenerationRequest request = new GenerationRequest(run.id() + "-" + c.index() + (steered ? "-s" : "-u"),
                prompt, SamplingParams.greedy(job.maxTokens()), steered ? job.steering() : SteeringSpec.none(),
                Introspection.none(), Priority.BACKGROUND);
        CompletableFuture<String> text;
        try {
            text = runtime.generate(request)
                    .select().where(e -> e instanceof GenerationEvent.Token)
                    .map(e -> ((GenerationEvent.Token) e).text())
                    .collect().with(Collectors.joining())
                    .ifNoItem().after(options.generationTimeout()).fail()
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        run.track(text);
        return text;
    }

    /** A short reason: the innermost cause's type and message (a timeout has no message, so say so). */
    private String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within " + options.generationTimeout();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The first few distinct failure reasons of one audit; written from completion threads. */
    private static final class ErrorSamples {
        private final java.util.Set<String> samples = new java.util.LinkedHashSet<>();

        synchronized void add(String reason) {
            if (samples.size() < ProbeReport.MAX_ERROR_SAMPLES) {
                samples.add(reason);
            }
        }

        synchronized List<String> list() {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
