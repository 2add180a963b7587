package io.steerguard.shadow;

import io.steerguard.stats.RateInterval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The sliding-window statistics of one steering profile: by default 5 m, 1 h and 24 h windows, plus
 * any window a policy's {@code decision.window} asks for ({@link #ensureWindow}). Memory is
 * {@code O(windows × buckets)} whatever the traffic.
 */
public final class ProfileStatistics implements StatisticsSource {

    /** The windows every profile keeps. */
    public static final List<Duration> DEFAULT_WINDOWS =
            List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(24));
    public static final int DEFAULT_BUCKETS = 60;

    private final String profile;
    private final LongSupplier clock;
    private final int buckets;
    private final Map<Duration, SlidingWindowStats> windows = new ConcurrentHashMap<>();
    private final AtomicReference<ProbeResult> latestProbe = new AtomicReference<>();
    /** Counters shared with the other replicas, or null for this process only. */
    private final SharedWindowStore shared;
    /** The classifier's measured error, applied to every snapshot ({@link ClassifierError#NONE}: none). */
    private volatile ClassifierError classifierError = ClassifierError.NONE;
    /** This replica's live pairs by tenant, for attribution; bounded in tenants. */
    private final TenantAttribution attribution;

    /**
     * @param profile the profile's name
     * @param clock   current time in epoch milliseconds
     * @param windows windows to keep from the start
     * @param buckets time buckets per window
     */
    public ProfileStatistics(String profile, LongSupplier clock, List<Duration> windows, int buckets) {
        this(profile, clock, windows, buckets, null);
    }

    /**
     * @param shared counters shared with the other replicas (null: this process only). Samples are
     *               recorded locally too; a snapshot is the shared sum, or the local window while the
     *               shared store cannot answer.
     */
    public ProfileStatistics(String profile, LongSupplier clock, List<Duration> windows, int buckets,
                             SharedWindowStore shared) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.buckets = buckets;
        this.shared = shared;
        this.attribution = new TenantAttribution(TenantAttribution.DEFAULT_MAX_TENANTS, buckets, clock);
        windows.forEach(this::ensureWindow);
    }

    public ProfileStatistics(String profile, LongSupplier clock) {
        this(profile, clock, DEFAULT_WINDOWS, DEFAULT_BUCKETS);
    }

    public String profile() {
        return profile;
    }

    /** Corrects the externality and over-refusal rates of every later snapshot for this classifier error. */
    public void useClassifierError(ClassifierError error) {
        this.classifierError = Objects.requireNonNull(error, "error");
    }

    public ClassifierError classifierError() {
        return classifierError;
    }

    /** Starts keeping {@code window} (empty until samples arrive) unless it is kept already. */
    public SlidingWindowStats ensureWindow(Duration window) {
        return windows.computeIfAbsent(window, w -> new SlidingWindowStats(w, buckets, clock));
    }

    /** Which tenants' live pairs make up the profile's numbers (this replica's, last hour). */
    public TenantAttribution attribution() {
        return attribution;
    }

    public List<Duration> windows() {
        return windows.keySet().stream().sorted().toList();
    }

    public void record(PairedSample sample) {
        if (!sample.profile().equals(profile)) {
            throw new IllegalArgumentException("sample of profile '" + sample.profile() + "' recorded for '"
                    + profile + "'");
        }
        for (SlidingWindowStats w : windows.values()) {
            w.record(sample);
        }
        attribution.record(sample);
        if (shared != null) {
            shared.record(profile, windows(), buckets, sample.time().toEpochMilli(),
                    WindowCounts.of(sample.steeredRefused(), sample.steeredScore(), sample.unsteeredRefused(),
                            sample.unsteeredScore(), sample.source() == PairedSample.Source.PROBE));
        }
    }

    public void recordProbe(ProbeResult result) {
        if (!result.profile().equals(profile)) {
            throw new IllegalArgumentException("probe of profile '" + result.profile() + "' recorded for '"
                    + profile + "'");
        }
        latestProbe.set(result);
    }

    @Override
    public Optional<ProbeResult> latestProbe() {
        return Optional.ofNullable(latestProbe.get());
    }

    /**
     * The snapshot of {@code window} ending now. A window not kept yet is started (and is empty):
     * a policy that asks for a new window gets statistics from then on.
     */
    @Override
    public SafetySnapshot snapshot(Duration window, double confidence, RateInterval method) {
        return SafetySnapshot.of(window, now(), counts(window, Long.MIN_VALUE), confidence, classifierError, method);
    }

    /**
     * A view that ignores samples and probe runs from before {@code since}, to the granularity of one
     * bucket: used for a profile in probation, so it is judged on what it did since it got there.
     */
    public StatisticsSource since(Instant since) {
        long sinceMillis = since.toEpochMilli();
        return new StatisticsSource() {
            @Override
            public SafetySnapshot snapshot(Duration window, double confidence, RateInterval method) {
                return SafetySnapshot.of(window, now(), counts(window, sinceMillis), confidence, classifierError,
                        method);
            }

            @Override
            public Optional<ProbeResult> latestProbe() {
                return ProfileStatistics.this.latestProbe().filter(p -> !p.time().isBefore(since));
            }
        };
    }

    /** The shared sum when the shared store answers, else this replica's own window. */
    private WindowCounts counts(Duration window, long sinceMillis) {
        SlidingWindowStats local = ensureWindow(window);
        if (shared != null) {
            Optional<WindowCounts> sum = shared.counts(profile, window, buckets, sinceMillis);
            if (sum.isPresent()) {
                return sum.get();
            }
        }
        return local.counts(sinceMillis);
    }

    /** Forgets all samples and probe runs, e.g. when the profile's vectors changed. */
    public void clear() {
        windows.values().forEach(SlidingWindowStats::clear);
        attribution.clear();
        if (shared != null) {
            shared.clear(profile, windows(), buckets);
        }
        latestProbe.set(null);
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.getAsLong());
    }
}
