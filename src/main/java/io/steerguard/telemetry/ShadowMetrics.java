package io.steerguard.telemetry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** Shadow-path meters: sample outcomes, queue depth, refusals by path, classifier latency. */
@ApplicationScoped
public class ShadowMetrics {

    /** Sampled requests by {@code profile} and {@code outcome} (paired, dropped, error, skipped). */
    public static final String SAMPLES = "steerguard.shadow.samples";
    /** Mirrors waiting for a slot. */
    public static final String QUEUE_DEPTH = "steerguard.shadow.queue.depth";
    /** Mirrors running. */
    public static final String IN_FLIGHT = "steerguard.shadow.inflight";
    /** Classified answers by {@code profile}, {@code path} (steered, unsteered), {@code source} (live, probe), {@code refused}. */
    public static final String VERDICTS = "steerguard.refusal.verdicts";
    /** Classifier latency per call by {@code method}. */
    public static final String CLASSIFIER_DURATION = "steerguard.classifier.duration";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Object, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    public ShadowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the queue gauges once the mirror exists. */
    public void bindQueue(Supplier<Number> queueDepth, Supplier<Number> inFlight) {
        Gauge.builder(QUEUE_DEPTH, queueDepth).description("Shadow mirrors waiting for a slot").register(registry);
        Gauge.builder(IN_FLIGHT, inFlight).description("Shadow mirrors running").register(registry);
    }

    private record OutcomeKey(String profile, String outcome) {
    }

    public void outcome(String profile, String outcome) {
        counters.computeIfAbsent(new OutcomeKey(profile, outcome), k -> Counter.builder(SAMPLES)
                .description("Sampled requests by what became of their shadow")
                .tag("profile", profile).tag("outcome", outcome).register(registry)).increment();
    }

    private record VerdictKey(String profile, String path, String source, boolean refused) {
    }

    public void verdict(String profile, String path, String source, boolean refused) {
        counters.computeIfAbsent(new VerdictKey(profile, path, source, refused), k -> Counter.builder(VERDICTS)
                .description("Classified answers by profile, path (steered/unsteered), source and verdict")
                .tag("profile", profile).tag("path", path).tag("source", source)
                .tag("refused", Boolean.toString(refused)).register(registry)).increment();
    }

    public void classifierLatency(String method, long nanos) {
        timers.computeIfAbsent(method, m -> Timer.builder(CLASSIFIER_DURATION)
                .description("Refusal classifier latency per call").tag("method", m).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
