package io.steerguard.shadow;

/**
 * Paces probe pairs to at most {@code rate} per second, shared by every audit the runner executes,
 * so audits add a known, bounded load to a runtime whatever the number of profiles. A reservation
 * schedule rather than a bucket with burst: the k-th pair may start no earlier than
 * {@code (k − 1) / rate} seconds after the first, so n pairs take at least {@code (n − 1) / rate}.
 * {@link Double#POSITIVE_INFINITY} turns pacing off (the CLI, offline).
 */
final class ProbeRateLimiter {

    private final long intervalNanos;
    private long next = Long.MIN_VALUE;

    ProbeRateLimiter(double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
        }
        this.intervalNanos = Double.isInfinite(ratePerSecond) ? 0 : Math.max(1, Math.round(1e9 / ratePerSecond));
    }

    /** Waits for this caller's slot. Interruptible: cancellation of an audit ends the wait. */
    void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = next == Long.MIN_VALUE || next - now < 0 ? now : next;
            next = at + intervalNanos;
            wait = at - now;
        }
        if (wait > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
