package io.steerguard.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.steerguard.stats.Estimate;
import io.steerguard.shadow.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probe-audit meters per profile: the latest audit's attack success rates and uplift with their
 * interval bounds (at the confidence of the policy that ran it), and audits by outcome. Gauges
 * appear with a profile's first audit and go when the profile is removed.
 */
@ApplicationScoped
public class ProbeMetrics {

    /** Latest audit's ASR, tags {@code profile}, {@code path} (steered, unsteered), {@code bound} (estimate, lower, upper). */
    public static final String ASR = "steerguard.probe.asr";
    /** Latest audit's ASR_steered − ASR_unsteered, tags {@code profile}, {@code bound}. */
    public static final String UPLIFT = "steerguard.probe.asr_uplift";
    /** Audits since start by {@code profile} and {@code outcome} (completed, partial, failed, cancelled). */
    public static final String RUNS = "steerguard.probe.runs";

    private static final List<String> BOUNDS = List.of("estimate", "lower", "upper");

    /** The latest result of one profile; the gauges read it. */
    private static final class Latest {
        volatile ProbeResult result;
        volatile double confidence;
    }

    private final MeterRegistry registry;
    /** Micrometer holds gauge state weakly: this map is the strong reference. */
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> runs = new ConcurrentHashMap<>();

    public ProbeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes a profile's newest audit result. */
    public synchronized void record(ProbeResult result, double confidence) {
        Latest l = latest.computeIfAbsent(result.profile(), this::register);
        l.confidence = confidence;
        l.result = result;
    }

    /** Counts one audit of {@code profile} that ended with {@code outcome}. */
    public void run(String profile, String outcome) {
        runs.computeIfAbsent(List.of(profile, outcome), k -> Counter.builder(RUNS)
                .description("Probe audits by outcome").tag("profile", profile).tag("outcome", outcome)
                .register(registry)).increment();
    }

    /** Removes the meters of profiles not in {@code profiles} (removed by a reload). */
    public synchronized void retain(Set<String> profiles) {
        for (String p : Set.copyOf(latest.keySet())) {
            if (!profiles.contains(p)) {
                latest.remove(p);
                gauges.remove(p).forEach(registry::remove);
            }
        }
        runs.entrySet().removeIf(e -> {
            boolean gone = !profiles.contains(e.getKey().get(0));
            if (gone) {
                registry.remove(e.getValue());
            }
            return gone;
        });
    }

    private Latest register(String profile) {
        Latest l = new Latest();
        List<Meter> meters = new ArrayList<>();
        estimate(meters, l, ASR, profile, "steered", r -> r.asrSteered(l.confidence));
        estimate(meters, l, ASR, profile, "unsteered", r -> r.asrUnsteered(l.confidence));
        estimate(meters, l, UPLIFT, profile, null, r -> r.uplift(l.confidence));
        gauges.put(profile, meters);
        return l;
    }

    private void estimate(List<Meter> meters, Latest l, String name, String profile, String path,
                          Function<ProbeResult, Estimate> which) {
        for (String bound : BOUNDS) {
            ToDoubleFunction<Latest> read = h -> {
                ProbeResult r = h.result;
                Estimate e = r == null ? null : which.apply(r);
                if (e == null || !e.hasData()) {
                    return Double.NaN;
                }
                return switch (bound) {
                    case "lower" -> e.interval().lower();
                    case "upper" -> e.interval().upper();
                    default -> e.value();
                };
            };
            Gauge.Builder<Latest> b = Gauge.builder(name, l, read).tag("profile", profile).tag("bound", bound)
                    .description(path == null ? "Latest probe audit: ASR steered minus unsteered"
                            : "Latest probe audit: attack success rate");
            if (path != null) {
                b.tag("path", path);
            }
            meters.add(b.register(registry));
        }
    }
}
