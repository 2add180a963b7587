package io.steerguard.shadow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The statistics of every profile, created on first use. Profiles are configured names, so the
 * number of entries is bounded by the configuration; {@link #retain} drops removed profiles.
 */
public final class SafetyStatistics {

    private final LongSupplier clock;
    private final List<Duration> windows;
    private final int buckets;
    private final Map<String, ProfileStatistics> profiles = new ConcurrentHashMap<>();
    private final SharedWindowStore shared;
    private volatile ClassifierError classifierError = ClassifierError.NONE;

    public SafetyStatistics(LongSupplier clock, List<Duration> windows, int buckets) {
        this(clock, windows, buckets, null);
    }

    /** @param shared counters shared with the other replicas, or null for this process only */
    public SafetyStatistics(LongSupplier clock, List<Duration> windows, int buckets, SharedWindowStore shared) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windows = List.copyOf(windows);
        this.buckets = buckets;
        this.shared = shared;
    }

    /** Default windows (5 m, 1 h, 24 h) with 60 buckets each, on the system clock. */
    public SafetyStatistics() {
        this(System::currentTimeMillis, ProfileStatistics.DEFAULT_WINDOWS, ProfileStatistics.DEFAULT_BUCKETS);
    }

    public void record(PairedSample sample) {
        profile(sample.profile()).record(sample);
    }

    public void recordProbe(ProbeResult result) {
        profile(result.profile()).recordProbe(result);
    }

    public ProfileStatistics profile(String name) {
        return profiles.computeIfAbsent(name, n -> {
            ProfileStatistics p = new ProfileStatistics(n, clock, windows, buckets, shared);
            p.useClassifierError(classifierError);
            return p;
        });
    }

    /**
     * Corrects every profile's externality and over-refusal rates for the classifier's measured
     * error from now on (existing profiles included), so that policies judge the corrected intervals.
     */
    public void useClassifierError(ClassifierError error) {
        this.classifierError = Objects.requireNonNull(error, "error");
        profiles.values().forEach(p -> p.useClassifierError(error));
    }

    public ClassifierError classifierError() {
        return classifierError;
    }

    public Set<String> profiles() {
        return Set.copyOf(profiles.keySet());
    }

    /** Keeps only {@code names}, after a reload removed profiles. */
    public void retain(Set<String> names) {
        profiles.keySet().retainAll(names);
    }
}
