package io.steerguard.telemetry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.steerguard.shadow.MirrorObserver;
import jakarta.enterprise.context.ApplicationScoped;

/** Shadow-path meters: sample outcomes, queue depth, refusals by path, classifier latency, activation readings. */
@ApplicationScoped
public class ShadowMetrics implements MirrorObserver {

    /**
     * Sampled requests by {@code tenant}, {@code profile} and {@code outcome} (paired, dropped, error,
     * skipped): drops are counted per tenant and profile, so a tenant crowded out of its share shows.
     */
    public static final String SAMPLES = "steerguard.shadow.samples";
    /**
     * Pairs whose client hung up before its answer was complete, by {@code tenant} and {@code profile}:
     * the steered generation ran on in the background up to the shadow's token budget. Each is also
     * counted as {@code outcome="paired"} in {@link #SAMPLES}.
     */
    public static final String PAIRED_AFTER_DISCONNECT = "steerguard.shadow.paired_after_disconnect";
    /** Mirrors waiting for a slot. */
    public static final String QUEUE_DEPTH = "steerguard.shadow.queue.depth";
    /** Mirrors running. */
    public static final String IN_FLIGHT = "steerguard.shadow.inflight";
    /** Classified answers by {@code profile}, {@code path} (steered, unsteered), {@code source} (live, probe), {@code refused}. */
    public static final String VERDICTS = "steerguard.refusal.verdicts";
    /** Classifier latency per call by {@code method}. */
    public static final String CLASSIFIER_DURATION = "steerguard.classifier.duration";

    /**
     * First-token refusal probability {@code p_ref} of mirrored answers by {@code profile} and
     * {@code path}, a distribution summary in [0, 1]. (The log-odds {@code log p_ref − log(1 − p_ref)}
     * is its logit; a summary cannot hold it because Micrometer drops negative amounts.)
     */
    public static final String ACTIVATION_REFUSAL_SCORE = "steerguard.activation.refusal_score";
    /**
     * Mean projection {@code ⟨x, r̂⟩} of the last-prompt-token residual on the refusal direction over
     * the last {@link #PROJECTION_WINDOW} mirrored answers, by {@code profile} and {@code path}; a
     * gauge, since projections are signed.
     */
    public static final String ACTIVATION_PROJECTION = "steerguard.activation.projection";
    /** Readings the projection gauge averages. */
    public static final int PROJECTION_WINDOW = 64;

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Object, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, RecentMean> projections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    public ShadowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the queue gauges once the mirror exists. */
    @Override
    public void bindQueue(Supplier<Number> queueDepth, Supplier<Number> inFlight) {
        Gauge.builder(QUEUE_DEPTH, queueDepth).description("Shadow mirrors waiting for a slot").register(registry);
        Gauge.builder(IN_FLIGHT, inFlight).description("Shadow mirrors running").register(registry);
    }

    private record OutcomeKey(String tenant, String profile, String outcome) {
    }

    /** One sampled request's end; {@code tenant} and {@code profile} are configured ids. */
    @Override
    public void outcome(String tenant, String profile, String outcome) {
        counters.computeIfAbsent(new OutcomeKey(tenant, profile, outcome), k -> Counter.builder(SAMPLES)
                .description("Sampled requests by what became of their shadow")
                .tag("tenant", tenant).tag("profile", profile).tag("outcome", outcome).register(registry)).increment();
    }

    private record DisconnectKey(String tenant, String profile) {
    }

    /** One pair completed after its client hung up. */
    @Override
    public void pairedAfterDisconnect(String tenant, String profile) {
        counters.computeIfAbsent(new DisconnectKey(tenant, profile), k -> Counter.builder(PAIRED_AFTER_DISCONNECT)
                .description("Pairs completed after the client hung up: the steered side ran on to the shadow budget")
                .tag("tenant", tenant).tag("profile", profile).register(registry)).increment();
    }

    private record VerdictKey(String profile, String path, String source, boolean refused) {
    }

    @Override
    public void verdict(String profile, String path, String source, boolean refused) {
        counters.computeIfAbsent(new VerdictKey(profile, path, source, refused), k -> Counter.builder(VERDICTS)
                .description("Classified answers by profile, path (steered/unsteered), source and verdict")
                .tag("profile", profile).tag("path", path).tag("source", source)
                .tag("refused", Boolean.toString(refused)).register(registry)).increment();
    }

    private record ActivationKey(String profile, String path) {
    }

    /**
     * One activation reading of a mirrored answer.
     *
     * @param path             {@code steered} or {@code unsteered}
     * @param refusalProbability {@code p_ref}, or NaN when the model has no refusal token ids
     * @param projection       {@code ⟨x, r̂⟩}, or NaN when the model has no refusal direction
     */
    @Override
    public void activation(String profile, String path, double refusalProbability, double projection) {
        ActivationKey key = new ActivationKey(profile, path);
        if (!Double.isNaN(refusalProbability)) {
            summaries.computeIfAbsent(key, k -> DistributionSummary.builder(ACTIVATION_REFUSAL_SCORE)
                    .description("First-token refusal probability p_ref of mirrored answers")
                    .tag("profile", profile).tag("path", path).register(registry)).record(refusalProbability);
        }
        if (Double.isFinite(projection)) {
            projections.computeIfAbsent(key, k -> {
                RecentMean mean = new RecentMean(PROJECTION_WINDOW);
                Gauge.builder(ACTIVATION_PROJECTION, mean, RecentMean::mean)
                        .description("Mean projection of the last prompt token's residual on the refusal direction, "
                                + "last " + PROJECTION_WINDOW + " mirrored answers")
                        .tag("profile", profile).tag("path", path).register(registry);
                return mean;
            }).add(projection);
        }
    }

    @Override
    public void classifierLatency(String method, long nanos) {
        timers.computeIfAbsent(method, m -> Timer.builder(CLASSIFIER_DURATION)
                .description("Refusal classifier latency per call").tag("method", m).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
