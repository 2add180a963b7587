package io.steerguard.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.steerguard.stats.Estimate;
import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.StatisticsJson;
import io.steerguard.shadow.TenantAttribution;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Safety meters per steering profile: the live statistics per window with their interval bounds,
 * the profile state, and transition and decision counts. Values are read at scrape time from a
 * snapshot cached for one second, so a scrape costs one snapshot per profile and window.
 */
@ApplicationScoped
public class SafetyMetrics {

    /** P(steered complies | unsteered refuses), tags {@code profile}, {@code window}, {@code bound} (estimate, lower, upper). */
    public static final String EXTERNALITY = "steerguard.externality.rate";
    /** P(steered refuses | unsteered complies), same tags. */
    public static final String OVER_REFUSAL = "steerguard.over_refusal.rate";
    /** Mean (steered − unsteered) refusal score, same tags; negative means steering erodes refusals. */
    public static final String SAFETY_MARGIN = "steerguard.safety.margin";
    /** Refusal rate by {@code path} (steered, unsteered), plus {@code profile}, {@code window}, {@code bound}. */
    public static final String REFUSAL_RATE = "steerguard.refusal.rate";
    /** Paired samples in the window, tags {@code profile}, {@code window}. */
    public static final String PAIRS = "steerguard.shadow.pairs";
    /** 1 for the profile's current state, 0 for the others; tags {@code profile}, {@code state}. */
    public static final String PROFILE_STATE = "steerguard.profile.state";
    /** State transitions since start by {@code transition} ({@code FROM->TO}). */
    public static final String TRANSITIONS = "steerguard.profile.transitions";
    /** Policy decisions applied since start by {@code outcome}. */
    public static final String DECISIONS = "steerguard.policy.decisions";
    /**
     * This replica's live pairs of the last hour by {@code profile}, {@code tenant} and {@code kind}
     * ({@code pairs}, {@code unsteered_refused}, {@code externalities}): counts, so that a dashboard
     * sums replicas before it divides. At most {@link TenantAttribution#DEFAULT_MAX_TENANTS} named
     * tenants per profile plus {@code (other)}.
     */
    public static final String ATTRIBUTION = "steerguard.attribution.pairs";

    private static final List<String> STATES = List.of("PROBATION", "ACTIVE", "WARN", "BLOCKED");
    private static final List<String> TRANSITION_KEYS = List.of("new->PROBATION", "PROBATION->ACTIVE",
            "PROBATION->BLOCKED", "PROBATION->WARN", "ACTIVE->WARN", "WARN->ACTIVE", "ACTIVE->BLOCKED",
            "WARN->BLOCKED", "BLOCKED->PROBATION", "ACTIVE->PROBATION", "WARN->PROBATION", "BLOCKED->BLOCKED");
    private static final List<String> DECISION_KEYS = List.of("healthy", "warn", "alert", "fallback-unsteered", "block");

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> byProfile = new ConcurrentHashMap<>();
    /** Attribution meters by profile, then tenant. */
    private final Map<String, Map<String, List<Meter>>> byTenant = new ConcurrentHashMap<>();
    /** Micrometer holds gauge state weakly: these keep the snapshot caches and suppliers alive. */
    private final Map<String, List<Object>> gaugeState = new ConcurrentHashMap<>();
    private final List<Object> counterState = new ArrayList<>();
    private boolean countersBound;

    public SafetyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counts since start, read at scrape time. */
    public synchronized void bindCounts(Supplier<Map<String, Long>> transitions, Supplier<Map<String, Long>> decisions) {
        if (countersBound) {
            return;
        }
        countersBound = true;
        counterState.add(transitions);
        counterState.add(decisions);
        for (String key : TRANSITION_KEYS) {
            FunctionCounter.builder(TRANSITIONS, transitions, t -> t.get().getOrDefault(key, 0L))
                    .description("Profile state transitions since start").tag("transition", key).register(registry);
        }
        for (String key : DECISION_KEYS) {
            FunctionCounter.builder(DECISIONS, decisions, d -> d.get().getOrDefault(key, 0L))
                    .description("Policy decisions applied since start").tag("outcome", key).register(registry);
        }
    }

    /**
     * Registers (or re-registers, when windows change) the gauges of one profile.
     *
     * @param snapshot the profile's snapshot for a window at 95% confidence
     * @param stateName the profile's current state name, or null when unknown
     */
    public synchronized void bindProfile(String profile, List<Duration> windows,
                                         Function<Duration, SafetySnapshot> snapshot, Supplier<String> stateName) {
        unbindProfile(profile);
        List<Meter> meters = new ArrayList<>();
        List<Object> state = new ArrayList<>();
        state.add(stateName);
        for (Duration window : windows) {
            CachedSnapshot cached = new CachedSnapshot(() -> snapshot.apply(window));
            state.add(cached);
            String w = StatisticsJson.format(window);
            estimateGauges(meters, EXTERNALITY, profile, w, null, cached, SafetySnapshot::externality);
            estimateGauges(meters, OVER_REFUSAL, profile, w, null, cached, SafetySnapshot::overRefusal);
            estimateGauges(meters, SAFETY_MARGIN, profile, w, null, cached, SafetySnapshot::safetyMargin);
            estimateGauges(meters, REFUSAL_RATE, profile, w, "steered", cached, SafetySnapshot::steeredRefusal);
            estimateGauges(meters, REFUSAL_RATE, profile, w, "unsteered", cached, SafetySnapshot::unsteeredRefusal);
            meters.add(Gauge.builder(PAIRS, cached, c -> c.get().samples()).tag("profile", profile).tag("window", w)
                    .description("Paired shadow samples in the window").register(registry));
        }
        for (String s : STATES) {
            meters.add(Gauge.builder(PROFILE_STATE, stateName, st -> s.equals(st.get()) ? 1 : 0).tag("profile", profile)
                    .tag("state", s).description("1 for the profile's current state").register(registry));
        }
        byProfile.put(profile, meters);
        gaugeState.put(profile, state);
    }

    /**
     * Registers the attribution counts of one profile's tenants, now and as tenants get or lose a
     * slot. Call after {@link #bindProfile}, which drops the previous ones.
     */
    public synchronized void bindAttribution(String profile, TenantAttribution attribution) {
        byTenant.put(profile, new ConcurrentHashMap<>());
        attribution.listen(new TenantAttribution.Listener() {
            @Override
            public void tracked(String tenant) {
                trackTenant(profile, attribution, tenant);
            }

            @Override
            public void untracked(String tenant) {
                untrackTenant(profile, tenant);
            }
        });
    }

    private synchronized void trackTenant(String profile, TenantAttribution attribution, String tenant) {
        Map<String, List<Meter>> tenants = byTenant.get(profile);
        if (tenants == null || tenants.containsKey(tenant)) {
            return;
        }
        List<Meter> meters = new ArrayList<>();
        Map<String, ToDoubleFunction<TenantAttribution>> kinds = Map.of(
                "pairs", a -> a.counts(tenant).samples(),
                "unsteered_refused", a -> a.counts(tenant).unsteeredRefused(),
                "externalities", a -> a.counts(tenant).externalities());
        kinds.forEach((kind, f) -> meters.add(Gauge.builder(ATTRIBUTION, attribution, f).tag("profile", profile)
                .tag("tenant", tenant).tag("kind", kind)
                .description("This replica's live pairs of the last hour by tenant").register(registry)));
        tenants.put(tenant, meters);
    }

    private synchronized void untrackTenant(String profile, String tenant) {
        Map<String, List<Meter>> tenants = byTenant.get(profile);
        List<Meter> old = tenants == null ? null : tenants.remove(tenant);
        if (old != null) {
            old.forEach(registry::remove);
        }
    }

    /** Removes a profile's gauges (the profile was deleted from the configuration). */
    public synchronized void unbindProfile(String profile) {
        Map<String, List<Meter>> tenants = byTenant.remove(profile);
        if (tenants != null) {
            tenants.values().forEach(ms -> ms.forEach(registry::remove));
        }
        gaugeState.remove(profile);
        List<Meter> old = byProfile.remove(profile);
        if (old != null) {
            old.forEach(registry::remove);
        }
    }

    public synchronized java.util.Set<String> boundProfiles() {
        return java.util.Set.copyOf(byProfile.keySet());
    }

    private void estimateGauges(List<Meter> meters, String name, String profile, String window, String path,
                                CachedSnapshot cached, Function<SafetySnapshot, Estimate> which) {
        BiFunction<String, ToDoubleFunction<CachedSnapshot>, Gauge> gauge = (bound, f) -> {
            Gauge.Builder<CachedSnapshot> b = Gauge.builder(name, cached, f).tag("profile", profile)
                    .tag("window", window).tag("bound", bound);
            if (path != null) {
                b.tag("path", path);
            }
            return b.register(registry);
        };
        meters.add(gauge.apply("estimate", c -> value(which.apply(c.get()), Estimate::value)));
        meters.add(gauge.apply("lower", c -> value(which.apply(c.get()), e -> e.interval().lower())));
        meters.add(gauge.apply("upper", c -> value(which.apply(c.get()), e -> e.interval().upper())));
    }

    private static double value(Estimate e, ToDoubleFunction<Estimate> f) {
        return e.hasData() ? f.applyAsDouble(e) : Double.NaN;
    }

    /** One snapshot per second per profile and window, however many gauges read it. */
    private static final class CachedSnapshot {
        private final Supplier<SafetySnapshot> compute;
        private SafetySnapshot value;
        private long at;

        CachedSnapshot(Supplier<SafetySnapshot> compute) {
            this.compute = compute;
        }

        synchronized SafetySnapshot get() {
            long now = System.nanoTime();
            if (value == null || now - at > 1_000_000_000L) {
                value = compute.get();
                at = now;
            }
            return value;
        }
    }
}
