package io.steerguard.shadow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.steerguard.classifier.Assessment;
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
import io.steerguard.review.MirroredPair;
import io.steerguard.review.ReviewTap;

/**
 * Mirrors sampled steered requests through the same model unsteered and pairs the two answers. A
 * profile served by a process-wide steered server is steered with no steering on the wire
 * ({@link MirrorRequest#steered()}); its twin runs on the profile's unsteered runtime
 * ({@link MirrorRequest#twinRuntime()}).
 *
 * <p>The client never waits for the shadow and cannot be failed by it: the twin starts only
 * after the client's answer is complete, runs with {@link Priority#BACKGROUND} and
 * {@link SteeringSpec#none()}, truncated to the shadow's token budget, and all shadow faults end
 * as a counted outcome and a log line. At most {@code concurrency} twins run; at most
 * {@code queueCapacity} wait, each tenant within its fair share ({@link TenantFairQueue}); beyond
 * that samples are dropped and counted per tenant and profile. A client request that fails starts
 * no shadow work; one whose client hung up is measured once its steered generation has run on to
 * the token budget ({@link PrimaryTap#completedAfterDisconnect()}). Classifiers (which may block)
 * run on the mirror's own threads, never on an event loop.
 *
 * <p>Whether a request is mirrored is drawn by the {@link ShadowSampler}, from nothing the client
 * sends; each mirrored request is logged with its id, tenant and profile (logger
 * {@code io.steerguard.shadow.ShadowSampler}, INFO) so an incident review can tell which requests
 * were measured, while the response never shows it.
 *
 * <p>On runtimes the {@link ActivationProbe} knows (embedded, with a refusal direction or refusal
 * token ids), the tap asks the sampled primary for introspection and the twin carries the same;
 * both {@code Captured} events become {@link ActivationReading}s, recorded as metrics and bound
 * into the classifier, where the activation tier votes if it is configured.
 *
 * <p>Each classified pair is offered to the {@link ReviewTap} (the review queue) after its sample
 * is recorded; the tap returns at once and its faults are contained.
 */
public final class ShadowMirror implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShadowMirror.class);
    /** The audit trail of sampling decisions: one line per mirrored request. */
    private static final Logger SAMPLED = Logger.getLogger(ShadowSampler.class);

    private final ShadowConfig config;
    private final RefusalClassifier classifier;
    private final ActivationProbe activation;
    /** The verdict on an answer that called a tool. */
    static final Verdict TOOL_CALL = Verdict.compliance(0.0, "tool-call");

    private final MirrorObserver metrics;
    private final Consumer<PairedSample> sink;
    private final Duration twinTimeout;
    private final ExecutorService classifierThreads;
    private final ShadowSampler sampler;
    private final TenantFairQueue<Job> queue;
    private final ReviewTap review;

    /**
     * A completed primary waiting for its twin; {@code activation} is null when the tier does not apply.
     *
     * @param afterDisconnect whether the client hung up and the steered side ran on without it
     */
    private record Job(MirrorRequest request, String steeredText, ActivationSetup activation,
                       GenerationEvent.Captured steeredCapture, boolean afterDisconnect, boolean steeredCalledTool) {
    }

    /** The twin's answer: its text and, when asked, its introspection. */
    private static final class TwinAnswer {
        final StringBuilder text = new StringBuilder();
        GenerationEvent.Captured captured;
        boolean calledTool;

        void add(GenerationEvent event) {
            if (event instanceof GenerationEvent.Token token) {
                if (token.choice() == 0) {
                    text.append(token.text());
                }
            } else if (event instanceof GenerationEvent.ToolCallDelta call) {
                calledTool |= call.choice() == 0;
            } else if (event instanceof GenerationEvent.Captured c && captured == null) {
                captured = c;
            }
        }
    }

    /** A mirror without the activation tier. */
    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, MirrorObserver metrics,
                        Consumer<PairedSample> sink, Duration twinTimeout) {
        this(config, classifier, ActivationProbe.disabled(), metrics, sink, twinTimeout);
    }

    /** A mirror sampling from a self-seeded CSPRNG ({@link ShadowSampler#secure()}). */
    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, ActivationProbe activation,
                        MirrorObserver metrics, Consumer<PairedSample> sink, Duration twinTimeout) {
        this(config, classifier, activation, metrics, sink, twinTimeout, ShadowSampler.secure());
    }

    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, ActivationProbe activation,
                        MirrorObserver metrics, Consumer<PairedSample> sink, Duration twinTimeout,
                        ShadowSampler sampler) {
        this(config, classifier, activation, metrics, sink, twinTimeout, sampler, ReviewTap.NONE);
    }

    /** A mirror that offers every classified pair to {@code review}. */
    public ShadowMirror(ShadowConfig config, RefusalClassifier classifier, ActivationProbe activation,
                        MirrorObserver metrics, Consumer<PairedSample> sink, Duration twinTimeout,
                        ShadowSampler sampler, ReviewTap review) {
        this.config = config;
        this.review = review;
        this.sampler = sampler;
        this.queue = new TenantFairQueue<>(Math.max(1, config.concurrency()), Math.max(0, config.queueCapacity()),
                job -> job.request().tenant());
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
        if (!config.enabled() || !request.steered() || !sampler.sample(request.sampleRate())) {
            return Optional.empty();
        }
        SAMPLED.infof("mirrored request %s tenant %s profile %s (rate %s)", request.primary().requestId(),
                request.tenant(), request.profile(), request.sampleRate());
        PrimaryTap tap = new PrimaryTap(request.maxTokens(), activation.setup(request.runtime()).orElse(null));
        tap.primary().whenComplete((primary, error) -> {
            if (error != null || (primary.end() != PrimaryTap.End.COMPLETED
                    && primary.end() != PrimaryTap.End.COMPLETED_AFTER_DISCONNECT)) {
                outcome(request, ShadowOutcome.SKIPPED);
            } else {
                admit(new Job(request, primary.text(), tap.activation(), primary.captured(),
                        primary.end() == PrimaryTap.End.COMPLETED_AFTER_DISCONNECT, primary.calledTool()));
            }
        });
        return Optional.of(tap);
    }

    private void outcome(MirrorRequest request, ShadowOutcome outcome) {
        LOG.debugf("shadow of request %s (tenant %s, profile %s): %s", request.primary().requestId(),
                request.tenant(), request.profile(), outcome.tagValue());
        metrics.outcome(request.tenant(), request.profile(), outcome.tagValue());
    }

    private void admit(Job job) {
        TenantFairQueue.Admission<Job> admission = queue.admit(job);
        if (admission.dropped() != null) {
            outcome(admission.dropped().request(), ShadowOutcome.DROPPED);
        }
        if (admission.startNow()) {
            start(job);
        }
    }

    private void finished(Job job) {
        Job next = queue.finished(job.request().tenant());
        if (next != null) {
            start(next);
        }
    }

    private void start(Job job) {
        MirrorRequest r = job.request();
        GenerationRequest p = r.primary();
        // the twin is the same request unsteered (tools included, so a steered call can meet an unsteered
        // refusal), but one choice: the shadow measures choice 0 of the primary against it
        GenerationRequest twin = new GenerationRequest(p.requestId() + "-shadow", p.prompt(),
                p.sampling().withMaxTokens(Math.min(r.maxTokens(), p.sampling().maxTokens())).withN(1),
                SteeringSpec.none(), job.activation() == null ? Introspection.none() : job.activation().introspection(),
                Priority.BACKGROUND, p.tools());
        try {
            r.twinRuntime().generate(twin)
                    .collect().in(TwinAnswer::new, TwinAnswer::add)
                    .ifNoItem().after(twinTimeout).fail()
                    .subscribe().with(
                            unsteered -> classifierThreads.execute(() -> classify(job, unsteered)),
                            failure -> {
                                LOG.debugf(failure, "shadow twin of %s failed", p.requestId());
                                outcome(r, ShadowOutcome.ERROR);
                                finished(job);
                            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "shadow twin of %s could not start", p.requestId());
            outcome(r, ShadowOutcome.ERROR);
            finished(job);
        }
    }

    private void classify(Job job, TwinAnswer twin) {
        MirrorRequest r = job.request();
        try {
            String prompt = promptText(r.primary().prompt());
            Optional<ActivationReading> steeredReading = reading(job, job.steeredCapture(), "steered");
            Optional<ActivationReading> unsteeredReading = reading(job, twin.captured, "unsteered");
            long start = System.nanoTime();
            List<Assessment> assessed = classifyPair(new Exchange(prompt, job.steeredText()), steeredReading,
                    new Exchange(prompt, twin.text.toString()), unsteeredReading);
            metrics.classifierLatency(classifier.method(), (System.nanoTime() - start) / 2);
            // a tool call is compliance: the model did what was asked by acting, whatever text came
            // with it; so a steered call against an unsteered refusal counts as an externality
            Verdict steered = job.steeredCalledTool() ? TOOL_CALL : assessed.get(0).verdict();
            Verdict unsteered = twin.calledTool ? TOOL_CALL : assessed.get(1).verdict();
            metrics.verdict(r.profile(), "steered", "live", steered.refused());
            metrics.verdict(r.profile(), "unsteered", "live", unsteered.refused());
            sink.accept(new PairedSample(r.profile(), r.tenant(), Instant.now(), steered.refused(), steered.score(),
                    unsteered.refused(), unsteered.score(), PairedSample.Source.LIVE));
            outcome(r, ShadowOutcome.PAIRED);
            if (job.afterDisconnect()) {
                metrics.pairedAfterDisconnect(r.tenant(), r.profile());
            }
            offerForReview(new MirroredPair(r.primary().requestId(), r.tenant(), r.profile(), prompt, job.steeredText(),
                    assessed.get(0), twin.text.toString(), assessed.get(1)));
        } catch (RuntimeException e) {
            LOG.warnf(e, "shadow classification of %s failed", r.primary().requestId());
            outcome(r, ShadowOutcome.ERROR);
        } finally {
            finished(job);
        }
    }

    private void offerForReview(MirroredPair pair) {
        try {
            review.offer(pair);
        } catch (RuntimeException e) {
            LOG.debugf(e, "review tap failed for %s", pair.requestId()); // the pair is measured either way
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
    private List<Assessment> classifyPair(Exchange steered, Optional<ActivationReading> steeredReading,
                                          Exchange unsteered, Optional<ActivationReading> unsteeredReading) {
        Optional<Verdict> steeredActivation = steeredReading.flatMap(ActivationReading::verdict);
        Optional<Verdict> unsteeredActivation = unsteeredReading.flatMap(ActivationReading::verdict);
        if (steeredActivation.isEmpty() && unsteeredActivation.isEmpty()) {
            return classifier.assessAll(List.of(steered, unsteered));
        }
        return List.of(
                steeredActivation.map(classifier::withActivation).orElse(classifier).assessAll(List.of(steered)).get(0),
                unsteeredActivation.map(classifier::withActivation).orElse(classifier).assessAll(List.of(unsteered)).get(0));
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
        return queue.waiting();
    }

    /** Mirrors of {@code tenant} waiting for a slot. */
    public int queueDepth(String tenant) {
        return queue.waiting(tenant);
    }

    public int running() {
        return queue.running();
    }

    @Override
    public void close() {
        classifierThreads.shutdownNow();
    }
}
