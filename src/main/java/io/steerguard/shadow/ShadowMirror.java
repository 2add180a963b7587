package io.steerguard.shadow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.steerguard.classifier.Exchange;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.telemetry.ShadowMetrics;

/**
 * Mirrors sampled steered requests through the same model unsteered and pairs the two answers.
 *
 * <p>The client never waits for the shadow and cannot be failed by it: the twin starts only
 * after the client's answer is complete, runs with {@link Priority#BACKGROUND} and
 * {@link SteeringSpec#none()}, truncated to the shadow's token budget, and all shadow faults end
 * as a counted outcome and a log line. At most {@code concurrency} twins run; at most
 * {@code queueCapacity} wait; beyond that samples are dropped and counted. A client request that
 * fails or is cancelled starts no shadow work at all. Classifiers (which may block) run on the
 * mirror's own threads, never on an event loop.
 *
 * <p>On runtimes the {@link ActivationProbe} knows (embedded, with a refusal direction or refusal
 * token ids), the tap asks the sampled primary for introspection and the twin carries the same;
 * both {@code Captured} events become {@link ActivationReading}s, recorded as metrics and bound
 * into the classifier, where the activation tier votes if it is configured.
 */
public final class ShadowMirror implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShadowMirror.class);

    private final ShadowConfig config;
    private final RefusalClassifier classifier;
    private final ActivationProbe activation;
    private final ShadowMetrics metrics;
    private final Consumer<PairedSample> sink;
    private final Duration twinTimeout;
    private final ExecutorService classifierThreads;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private int running;

    /** A completed primary waiting for its twin; {@code activation} is null when the tier does not apply. */
    private record Job(MirrorRequest request, String steeredText, ActivationSetup activation,
                       GenerationEvent.Captured steeredCapture) {
    }

    /** The twin's answer: its text and, when asked, its introspection. */
    private static final class TwinAnswer {
        final StringBuilder text = new StringBuilder();
        GenerationEvent.Captured captured;

        void add(GenerationEvent event) {
            if (event instanceof GenerationEvent.Token token) {
                text.append(token.text());
            } else if (event instanceof GenerationEvent.Captured c && captured == null) {
                captured = c;
            }
        }
    }

    /** A mirror without the activation tier. */
    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, ShadowMetrics metrics,
                        Consumer<PairedSample> sink, Duration twinTimeout) {
        this(config, classifier, ActivationProbe.disabled(), metrics, sink, twinTimeout);
    }

    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, ActivationProbe activation,
                        ShadowMetrics metrics, Consumer<PairedSample> sink, Duration twinTimeout) {
        this.config = config;
        this.classifier = classifier;
        this.activation = activation;
        this.metrics = metrics;
        this.sink = sink;
        this.twinTimeout = twinTimeout;
        this.classifierThreads = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), r -> {
            Thread t = new Thread(r, "steerguard-shadow");
            t.setDaemon(true);
            return t;
        });
        metrics.bindQueue(this::queueDepth, this::running);
    }

    /**
     * Decides whether to mirror {@code request}; if so, returns the tap the caller feeds with the
     * client's answer. Cheap and non-blocking: safe on the event loop.
     */
    public Optional<PrimaryTap> mirror(MirrorRequest request) {
        if (!config.enabled() || request.primary().steering().isNone()
                || !ShadowSampler.sampled(request.primary().requestId(), request.sampleRate())) {
            return Optional.empty();
        }
        PrimaryTap tap = new PrimaryTap(request.maxTokens(), activation.setup(request.runtime()).orElse(null));
        tap.primary().whenComplete((primary, error) -> {
            if (error != null || primary.end() != PrimaryTap.End.COMPLETED) {
                metrics.outcome(request.profile(), ShadowOutcome.SKIPPED.tagValue());
            } else {
                admit(new Job(request, primary.text(), tap.activation(), primary.captured()));
            }
        });
        return Optional.of(tap);
    }

    private void admit(Job job) {
        synchronized (waiting) {
            if (running >= config.concurrency()) {
                if (waiting.size() >= config.queueCapacity()) {
                    metrics.outcome(job.request().profile(), ShadowOutcome.DROPPED.tagValue());
                    return;
                }
                waiting.add(job);
                return;
            }
            running++;
        }
        start(job);
    }

    private void finished() {
        Job next;
        synchronized (waiting) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        start(next);
    }

    private void start(Job job) {
        MirrorRequest r = job.request();
        GenerationRequest p = r.primary();
        GenerationRequest twin = new GenerationRequest(p.requestId() + "-shadow", p.prompt(),
                p.sampling().withMaxTokens(Math.min(r.maxTokens(), p.sampling().maxTokens())),
                SteeringSpec.none(), job.activation() == null ? Introspection.none() : job.activation().introspection(),
                Priority.BACKGROUND);
        try {
            r.runtime().generate(twin)
                    .collect().in(TwinAnswer::new, TwinAnswer::add)
                    .ifNoItem().after(twinTimeout).fail()
                    .subscribe().with(
                            unsteered -> classifierThreads.execute(() -> classify(job, unsteered)),
                            failure -> {
                                LOG.debugf(failure, "shadow twin of %s failed", p.requestId());
                                metrics.outcome(r.profile(), ShadowOutcome.ERROR.tagValue());
                                finished();
                            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "shadow twin of %s could not start", p.requestId());
            metrics.outcome(r.profile(), ShadowOutcome.ERROR.tagValue());
            finished();
        }
    }

    private void classify(Job job, TwinAnswer twin) {
        MirrorRequest r = job.request();
        try {
            String prompt = promptText(r.primary().prompt());
            Optional<ActivationReading> steeredReading = reading(job, job.steeredCapture(), "steered");
            Optional<ActivationReading> unsteeredReading = reading(job, twin.captured, "unsteered");
            long start = System.nanoTime();
            List<Verdict> verdicts = classifyPair(new Exchange(prompt, job.steeredText()), steeredReading,
                    new Exchange(prompt, twin.text.toString()), unsteeredReading);
            metrics.classifierLatency(classifier.method(), (System.nanoTime() - start) / 2);
            Verdict steered = verdicts.get(0);
            Verdict unsteered = verdicts.get(1);
            metrics.verdict(r.profile(), "steered", "live", steered.refused());
            metrics.verdict(r.profile(), "unsteered", "live", unsteered.refused());
            sink.accept(new PairedSample(r.profile(), r.tenant(), Instant.now(), steered.refused(), steered.score(),
                    unsteered.refused(), unsteered.score(), PairedSample.Source.LIVE));
            metrics.outcome(r.profile(), ShadowOutcome.PAIRED.tagValue());
        } catch (RuntimeException e) {
            LOG.warnf(e, "shadow classification of %s failed", r.primary().requestId());
            metrics.outcome(r.profile(), ShadowOutcome.ERROR.tagValue());
        } finally {
            finished();
        }
    }

    /** One side's activation reading, recorded as metrics; a reading that fails is logged and left out. */
    private Optional<ActivationReading> reading(Job job, GenerationEvent.Captured captured, String path) {
        if (job.activation() == null) {
            return Optional.empty();
        }
        try {
            Optional<ActivationReading> reading = ActivationProbe.read(job.activation(), captured);
            reading.ifPresent(a -> metrics.activation(job.request().profile(), path, a.refusalProbability(),
                    a.projection()));
            return reading;
        } catch (RuntimeException e) {
            LOG.warnf(e, "activation reading of %s (%s) failed", job.request().primary().requestId(), path);
            return Optional.empty();
        }
    }

    /**
     * Both verdicts: in one batch when no activation verdict exists, else each side with its own
     * activation verdict bound into the classifier (the tier votes only where {@code activation}
     * is among the configured tiers).
     */
    private List<Verdict> classifyPair(Exchange steered, Optional<ActivationReading> steeredReading,
                                       Exchange unsteered, Optional<ActivationReading> unsteeredReading) {
        Optional<Verdict> steeredActivation = steeredReading.flatMap(ActivationReading::verdict);
        Optional<Verdict> unsteeredActivation = unsteeredReading.flatMap(ActivationReading::verdict);
        if (steeredActivation.isEmpty() && unsteeredActivation.isEmpty()) {
            return classifier.classifyAll(List.of(steered, unsteered));
        }
        return List.of(
                steeredActivation.map(classifier::withActivation).orElse(classifier)
                        .classify(steered.prompt(), steered.response()),
                unsteeredActivation.map(classifier::withActivation).orElse(classifier)
                        .classify(unsteered.prompt(), unsteered.response()));
    }

    /** What the classifiers see as the prompt: the last user turn, or the completion prompt. */
    static String promptText(Prompt prompt) {
        if (prompt instanceof Prompt.Chat chat) {
            List<ChatMessage> messages = chat.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                if ("user".equals(messages.get(i).role())) {
                    return messages.get(i).content();
                }
            }
            return messages.get(messages.size() - 1).content();
        }
        return prompt instanceof Prompt.Text text ? text.text() : "";
    }

    public int queueDepth() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    public int running() {
        synchronized (waiting) {
            return running;
        }
    }

    @Override
    public void close() {
        classifierThreads.shutdownNow();
    }
}
