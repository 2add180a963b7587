package io.steerguard.shadow;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Paired-sample counters over a sliding time window, kept as a ring of time buckets so memory is
 * {@code O(buckets)} however much traffic arrives: each bucket holds the counters of one
 * {@code window / buckets} slice of time, tagged with that slice's number, and a slot is reset when
 * the ring comes round to it again.
 *
 * <p>Granularity: a read at time t sums the bucket holding t and the {@code buckets − 1} before
 * it, so a sample leaves the window between {@code window − window/buckets} and {@code window}
 * after it was taken. Samples dated in the future count as now; samples older than the window are
 * dropped and counted in {@link #dropped()}.
 *
 * <p>Thread-safe: adds and reads take one short lock; both are O(1) and O(buckets) respectively.
 */
public final class SlidingWindowStats {

    /** Per-bucket long counters, in this order. */
    private static final int SAMPLES = 0, PROBES = 1, STEERED_REFUSED = 2, UNSTEERED_REFUSED = 3, EXTERNALITIES = 4,
            OVER_REFUSALS = 5, LONGS = 6;

    private final Duration window;
    private final long bucketMillis;
    private final int buckets;
    private final LongSupplier clock;
    /** Slice number held by each slot; −∞ for never used. */
    private final long[] epochs;
    private final long[] counts;
    /** Σ margin and Σ margin² per slot. */
    private final double[] sums;
    private long dropped;

    /**
     * @param window  the span of time to summarise
     * @param buckets how many slices the window is cut into (60 is a good default)
     * @param clock   current time in epoch milliseconds
     */
    public SlidingWindowStats(Duration window, int buckets, LongSupplier clock) {
        Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (buckets < 1 || buckets > 10_000) {
            throw new IllegalArgumentException("buckets must be within [1, 10000], got " + buckets);
        }
        if (window.toMillis() < buckets) {
            throw new IllegalArgumentException("window must be at least one millisecond per bucket, got " + window);
        }
        this.window = window;
        this.buckets = buckets;
        this.bucketMillis = (window.toMillis() + buckets - 1) / buckets;
        this.epochs = new long[buckets];
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
        this.counts = new long[buckets * LONGS];
        this.sums = new double[buckets * 2];
    }

    public Duration window() {
        return window;
    }

    public int buckets() {
        return buckets;
    }

    public void record(PairedSample s) {
        record(s.time().toEpochMilli(), s.steeredRefused(), s.steeredScore(), s.unsteeredRefused(),
                s.unsteeredScore(), s.source() == PairedSample.Source.PROBE);
    }

    /** Records one pair without allocating: the hot path of the shadow executor. */
    public synchronized void record(long timeMillis, boolean steeredRefused, double steeredScore,
                                    boolean unsteeredRefused, double unsteeredScore, boolean probe) {
        long now = clock.getAsLong();
        long current = Math.floorDiv(now, bucketMillis);
        long epoch = Math.min(Math.floorDiv(timeMillis, bucketMillis), current);
        if (epoch <= current - buckets) {
            dropped++;
            return;
        }
        int slot = (int) Math.floorMod(epoch, (long) buckets);
        if (epochs[slot] != epoch) {
            if (epochs[slot] > epoch) {
                // The slot already holds a newer slice: this sample's slice has left the window.
                dropped++;
                return;
            }
            epochs[slot] = epoch;
            java.util.Arrays.fill(counts, slot * LONGS, slot * LONGS + LONGS, 0);
            sums[2 * slot] = 0;
            sums[2 * slot + 1] = 0;
        }
        int c = slot * LONGS;
        counts[c + SAMPLES]++;
        if (probe) {
            counts[c + PROBES]++;
        }
        if (steeredRefused) {
            counts[c + STEERED_REFUSED]++;
        }
        if (unsteeredRefused) {
            counts[c + UNSTEERED_REFUSED]++;
            if (!steeredRefused) {
                counts[c + EXTERNALITIES]++;
            }
        } else if (steeredRefused) {
            counts[c + OVER_REFUSALS]++;
        }
        double margin = steeredScore - unsteeredScore;
        sums[2 * slot] += margin;
        sums[2 * slot + 1] += margin * margin;
    }

    /** The counts of the window ending now. */
    public WindowCounts counts() {
        return counts(Long.MIN_VALUE);
    }

    /**
     * The counts of the window ending now, leaving out slices that ended before {@code sinceMillis}
     * (the slice containing it is kept whole).
     */
    public synchronized WindowCounts counts(long sinceMillis) {
        long current = Math.floorDiv(clock.getAsLong(), bucketMillis);
        long first = Math.max(current - buckets + 1,
                sinceMillis == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(sinceMillis, bucketMillis));
        long[] total = new long[LONGS];
        double sum = 0;
        double sumSquares = 0;
        for (int slot = 0; slot < buckets; slot++) {
            long e = epochs[slot];
            if (e >= first && e <= current) {
                for (int i = 0; i < LONGS; i++) {
                    total[i] += counts[slot * LONGS + i];
                }
                sum += sums[2 * slot];
                sumSquares += sums[2 * slot + 1];
            }
        }
        return new WindowCounts(total[SAMPLES], total[PROBES], total[STEERED_REFUSED], total[UNSTEERED_REFUSED],
                total[EXTERNALITIES], total[OVER_REFUSALS], sum, Math.max(0, sumSquares));
    }

    /** Samples that arrived too late for the window. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets everything, e.g. when the profile's vectors changed. */
    public synchronized void clear() {
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(sums, 0);
        dropped = 0;
    }
}
