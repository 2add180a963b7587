package io.steerguard.telemetry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rollout meters, one set per configured rollout: tags {@code tenant} and {@code profile} (the
 * configured tenant and the profile it rolls out) and, on the share, {@code candidate} — all
 * configured names, so cardinality is bounded by the configuration. Removed with the rollout.
 */
@ApplicationScoped
public class RolloutMetrics {

    /** The probability that one request is served with the candidate now: the share while running, 1 promoted, 0 rolled back. */
    public static final String SHARE = "steerguard.rollout.share";
    /** Promotions this replica persisted (by the gate or an operator). */
    public static final String PROMOTIONS = "steerguard.rollout.promotions";
    /** Rollbacks this replica persisted (by the gate or an operator). */
    public static final String ROLLBACKS = "steerguard.rollout.rollbacks";

    private record Bound(String candidate, List<Meter> meters, Counter promotions, Counter rollbacks) {
    }

    private final MeterRegistry registry;
    private final Map<List<String>, Bound> bound = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of one rollout (again only when its candidate changed). */
    public void bind(String tenant, String profile, String candidate, DoubleSupplier share) {
        List<String> key = List.of(tenant, profile);
        Bound old = bound.get(key);
        if (old != null && old.candidate().equals(candidate)) {
            return;
        }
        if (old != null) {
            unbind(tenant, profile);
        }
        Tags tags = Tags.of("tenant", tenant, "profile", profile);
        Gauge gauge = Gauge.builder(SHARE, share, DoubleSupplier::getAsDouble).strongReference(true).tags(tags)
                .tag("candidate", candidate)
                .description("Probability that one request of the tenant for the profile is served with the rollout's "
                        + "candidate: the configured share while the rollout runs, 1 once promoted, 0 once rolled back")
                .register(registry);
        Counter promotions = Counter.builder(PROMOTIONS).tags(tags)
                .description("Rollout promotions persisted by this replica (gate or operator)").register(registry);
        Counter rollbacks = Counter.builder(ROLLBACKS).tags(tags)
                .description("Rollout rollbacks persisted by this replica (gate or operator)").register(registry);
        bound.put(key, new Bound(candidate, List.of(gauge, promotions, rollbacks), promotions, rollbacks));
    }

    /** Removes the meters of a rollout no longer configured. */
    public void unbind(String tenant, String profile) {
        Bound b = bound.remove(List.of(tenant, profile));
        if (b != null) {
            b.meters().forEach(registry::remove);
        }
    }

    /** The rollouts with meters, as {@code [tenant, profile]}. */
    public java.util.Set<List<String>> bound() {
        return java.util.Set.copyOf(bound.keySet());
    }

    public void promoted(String tenant, String profile) {
        Bound b = bound.get(List.of(tenant, profile));
        if (b != null) {
            b.promotions().increment();
        }
    }

    public void rolledBack(String tenant, String profile) {
        Bound b = bound.get(List.of(tenant, profile));
        if (b != null) {
            b.rollbacks().increment();
        }
    }
}
