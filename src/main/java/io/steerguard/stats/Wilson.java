package io.steerguard.stats;

/**
 * Wilson score intervals for a binomial proportion, and Newcombe's hybrid score interval for the
 * difference of two independent proportions built from them.
 *
 * <p>Wilson inverts the score test: the interval is every p with |p̂ − p| ≤ z·√(p(1−p)/n), which gives
 * <pre>
 *   centre    = (p̂ + z²/2n) / (1 + z²/n)
 *   halfWidth = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
 * </pre>
 * Unlike the Wald interval it never leaves [0, 1] and stays sensible at k = 0 and k = n, which is
 * exactly where a guardrail looks (a handful of samples, all compliant).
 */
public final class Wilson {

    private static final Interval ALL = new Interval(0, 1);

    private Wilson() {
    }

    /** The interval for k successes in n trials; n = 0 gives [0, 1] and a NaN point estimate. */
    public static Estimate estimate(long k, long n, double confidence) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (n == 0) {
            return new Estimate(Double.NaN, ALL, 0);
        }
        double z = Normal.twoSidedZ(confidence);
        double p = (double) k / n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n));
        // At k = 0 and k = n the exact bound is 0 or 1; rounding must not move it off.
        double lower = k == 0 ? 0 : Math.max(0, centre - half);
        double upper = k == n ? 1 : Math.min(1, centre + half);
        return new Estimate(p, new Interval(lower, upper), n);
    }

    /**
     * Newcombe's hybrid score interval (his method 10, 1998) for p₁ − p₂ of two independent samples:
     * with Wilson intervals (l₁, u₁) and (l₂, u₂),
     * <pre>
     *   lower = (p̂₁ − p̂₂) − √((p̂₁ − l₁)² + (u₂ − p̂₂)²)
     *   upper = (p̂₁ − p̂₂) + √((u₁ − p̂₁)² + (p̂₂ − l₂)²)
     * </pre>
     * The estimate's {@code n} is the smaller of the two sample sizes.
     */
    public static Estimate difference(long k1, long n1, long k2, long n2, double confidence) {
        Estimate a = estimate(k1, n1, confidence);
        Estimate b = estimate(k2, n2, confidence);
        if (n1 == 0 || n2 == 0) {
            return new Estimate(Double.NaN, new Interval(-1, 1), 0);
        }
        double d = a.value() - b.value();
        double lower = d - Math.hypot(a.value() - a.interval().lower(), b.interval().upper() - b.value());
        double upper = d + Math.hypot(a.interval().upper() - a.value(), b.value() - b.interval().lower());
        return new Estimate(d, new Interval(Math.max(-1, lower), Math.min(1, upper)), Math.min(n1, n2));
    }
}
