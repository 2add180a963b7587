package io.steerguard.telemetry;

/** The mean of the last {@code capacity} values; a fixed ring, so memory stays bounded. Thread-safe. */
final class RecentMean {

    private final double[] ring;
    private int next;
    private int size;

    RecentMean(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ring = new double[capacity];
    }

    synchronized void add(double value) {
        ring[next] = value;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** NaN before the first value. */
    synchronized double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += ring[i];
        }
        return sum / size;
    }
}
