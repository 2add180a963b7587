package io.steerguard.shadow;

import io.steerguard.stats.Wilson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which tenants' traffic drives a profile's externality: the live pairs of one window, split by
 * tenant. A profile's numbers can be one tenant's prompts (a red-teaming customer, a scraper)
 * rather than the steering itself; this says so.
 *
 * <p>Cardinality is bounded: at most {@code maxTenants} tenants are tracked by name, each with its
 * own sliding window; a tenant that arrives when every slot holds a tenant with pairs in the window
 * is counted under {@link #OTHER}. A slot whose tenant has no pair left in the window is recycled
 * for the next newcomer, so the named set follows the traffic. Probe pairs are not attributed:
 * they come from the probe runner, not from a tenant.
 *
 * <p>This replica's pairs only. The meters export counts ({@code steerguard.attribution.pairs}),
 * which Prometheus sums across replicas before it divides.
 */
public final class TenantAttribution {

    /** The bucket of tenants past the cap. */
    public static final String OTHER = "(other)";
    /** Tenants tracked by name per profile unless configured otherwise. */
    public static final int DEFAULT_MAX_TENANTS = 20;
    /** The window attributed: the default policy window. */
    public static final Duration WINDOW = Duration.ofHours(1);

    /** Told when a tenant gets a slot or loses it, to add or remove its meters. */
    public interface Listener {
        void tracked(String tenant);

        void untracked(String tenant);

        Listener NONE = new Listener() {
            @Override
            public void tracked(String tenant) {
            }

            @Override
            public void untracked(String tenant) {
            }
        };
    }

    private final int maxTenants;
    private final int buckets;
    private final LongSupplier clock;
    private final Map<String, SlidingWindowStats> byTenant = new ConcurrentHashMap<>();
    private volatile Listener listener = Listener.NONE;

    public TenantAttribution(int maxTenants, int buckets, LongSupplier clock) {
        if (maxTenants < 1) {
            throw new IllegalArgumentException("maxTenants must be at least 1, got " + maxTenants);
        }
        this.maxTenants = maxTenants;
        this.buckets = buckets;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets the listener and tells it every tenant tracked so far. */
    public void listen(Listener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        byTenant.keySet().forEach(l::tracked);
    }

    public void record(PairedSample sample) {
        if (sample.source() == PairedSample.Source.PROBE) {
            return;
        }
        SlidingWindowStats stats = byTenant.get(sample.tenant());
        if (stats == null) {
            stats = slot(sample.tenant());
        }
        stats.record(sample);
    }

    /** The tenant's own window if it has or can get one, else {@link #OTHER}'s. */
    private synchronized SlidingWindowStats slot(String tenant) {
        SlidingWindowStats existing = byTenant.get(tenant);
        if (existing != null) {
            return existing;
        }
        if (named() >= maxTenants) {
            String idle = byTenant.entrySet().stream()
                    .filter(e -> !e.getKey().equals(OTHER) && e.getValue().counts().samples() == 0)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (idle == null) {
                return track(OTHER);
            }
            byTenant.remove(idle);
            listener.untracked(idle);
        }
        return track(tenant);
    }

    private SlidingWindowStats track(String key) {
        SlidingWindowStats existing = byTenant.get(key);
        if (existing != null) {
            return existing;
        }
        SlidingWindowStats created = new SlidingWindowStats(WINDOW, buckets, clock);
        byTenant.put(key, created);
        listener.tracked(key);
        return created;
    }

    private long named() {
        return byTenant.keySet().stream().filter(t -> !t.equals(OTHER)).count();
    }

    /** The tenant's counts in the window; empty for a tenant not tracked. */
    public WindowCounts counts(String tenant) {
        SlidingWindowStats stats = byTenant.get(tenant);
        return stats == null ? WindowCounts.EMPTY : stats.counts();
    }

    /** Every tracked tenant's share, the largest part of the externality first. */
    public List<TenantShare> shares(double confidence) {
        Map<String, WindowCounts> counts = new java.util.HashMap<>();
        byTenant.forEach((t, s) -> counts.put(t, s.counts()));
        long total = counts.values().stream().mapToLong(WindowCounts::externalities).sum();
        List<TenantShare> out = new ArrayList<>();
        counts.forEach((t, c) -> out.add(new TenantShare(t, c.samples(), c.unsteeredRefused(), c.externalities(),
                Wilson.estimate(c.externalities(), c.unsteeredRefused(), confidence),
                total == 0 ? Double.NaN : (double) c.externalities() / total)));
        out.sort(Comparator.comparingLong(TenantShare::externalities).reversed()
                .thenComparing(Comparator.comparingLong(TenantShare::pairs).reversed())
                .thenComparing(TenantShare::tenant));
        return out;
    }

    /** Forgets every tenant, e.g. when the profile's vectors changed. */
    public synchronized void clear() {
        List<String> gone = List.copyOf(byTenant.keySet());
        byTenant.clear();
        gone.forEach(listener::untracked);
    }
}
