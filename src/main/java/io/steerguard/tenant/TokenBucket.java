package io.steerguard.tenant;

/**
 * A token bucket rate limiter: {@code ratePerSecond} tokens refill continuously up to
 * {@code capacity}; each request takes one. Cheap enough to run on the event loop (a short
 * critical section, no waiting).
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastRefill;

    public TokenBucket(double ratePerSecond, int capacity, long nowNanos) {
        if (!(ratePerSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("ratePerSecond must be positive and capacity at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastRefill = nowNanos;
    }

    /** Takes one token if available. */
    public synchronized boolean tryAcquire(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastRefill);
        tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
        lastRefill = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Seconds until one token is available, for {@code Retry-After}. */
    public synchronized long secondsUntilNextToken() {
        double missing = Math.max(0, 1 - tokens);
        return (long) Math.ceil(missing / ratePerNano / 1e9);
    }
}
