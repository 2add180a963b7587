package io.steerguard.training.evaluation;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Wilson;

/**
 * {@code k} successes out of {@code n} trials, with its Wilson interval from the shadow package
 * (the same interval the gateway puts on its live rates).
 */
public record Count(long k, long n) {

    public static final Count EMPTY = new Count(0, 0);

    public Count {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("Count needs 0 <= k <= n, got k=" + k + ", n=" + n);
        }
    }

    /** Counts the true entries. */
    public static Count of(boolean[] outcomes) {
        long k = 0;
        for (boolean b : outcomes) {
            k += b ? 1 : 0;
        }
        return new Count(k, outcomes.length);
    }

    /** The rate with its Wilson interval at {@code confidence}; n = 0 gives NaN and [0, 1]. */
    public Estimate estimate(double confidence) {
        return Wilson.estimate(k, n, confidence);
    }

    /** {@code n - k} out of {@code n}: an attack success rate from a refusal count. */
    public Count complement() {
        return new Count(n - k, n);
    }

    public double rate() {
        return n == 0 ? Double.NaN : (double) k / n;
    }
}
