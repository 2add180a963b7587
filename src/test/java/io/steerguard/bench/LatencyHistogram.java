package io.steerguard.bench;

import java.util.Arrays;

/**
 * A log-linear latency histogram in the spirit of HdrHistogram, small enough to carry in the
 * benchmark without a dependency. Values are non-negative longs (the benchmark records
 * nanoseconds).
 *
 * <p>Layout: values below {@code 2^P} (P = {@value #PRECISION_BITS}) get one bucket each. A value
 * {@code v >= 2^P} with highest set bit {@code m} is shifted right by {@code s = m - P + 1}, which
 * leaves a sub-bucket {@code v >>> s} in {@code [2^(P-1), 2^P)}; its bucket index is
 * {@code s * 2^(P-1) + (v >>> s)}. Bucket widths are therefore {@code 2^s}, at most
 * {@code 1 / 2^(P-1)} (1.6 %) of any value in them, and the indexes are contiguous. Percentiles
 * report the highest value of their bucket (clamped to the largest value seen), so they never
 * understate a latency. Not thread-safe: one event loop records into it.
 */
public final class LatencyHistogram {

    static final int PRECISION_BITS = 7;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private long[] counts = new long[4 * HALF];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    /** Records one value. */
    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0, got " + value);
        }
        int index = index(value);
        if (index >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(index + 1, counts.length * 2));
        }
        counts[index]++;
        total++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
    }

    /** Adds every value recorded in {@code other}. */
    public void add(LatencyHistogram other) {
        if (other.counts.length > counts.length) {
            counts = Arrays.copyOf(counts, other.counts.length);
        }
        for (int i = 0; i < other.counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /**
     * The value below or at which {@code percentile} percent of the recorded values lie, as the
     * upper end of its bucket; 0 when nothing was recorded.
     */
    public long percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within [0, 100], got " + percentile);
        }
        if (total == 0) {
            return 0;
        }
        // rank of the value wanted, 1-based: the smallest rank r with r / total >= percentile / 100
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, highestInBucket(i));
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < 2 * HALF) {
            return (int) value;
        }
        int msb = 63 - Long.numberOfLeadingZeros(value);
        int shift = msb - PRECISION_BITS + 1;
        return shift * HALF + (int) (value >>> shift);
    }

    static long highestInBucket(int index) {
        if (index < 2 * HALF) {
            return index;
        }
        int shift = index / HALF - 1;
        long sub = index - (long) shift * HALF;
        return ((sub + 1) << shift) - 1;
    }
}
