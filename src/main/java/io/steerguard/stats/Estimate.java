package io.steerguard.stats;

import java.util.Objects;

/**
 * A point estimate with its confidence interval and the number of observations behind it.
 *
 * @param value    the point estimate; {@code NaN} when {@code n == 0} (nothing observed)
 * @param interval the confidence interval; with no observations it spans every possible value
 * @param n        observations the estimate rests on (the denominator of a rate)
 */
public record Estimate(double value, Interval interval, long n) {

    public Estimate {
        Objects.requireNonNull(interval, "interval");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        if (n > 0 && Double.isNaN(value)) {
            throw new IllegalArgumentException("value must be a number when n > 0");
        }
    }

    /** Whether anything was observed. */
    public boolean hasData() {
        return n > 0;
    }
}
