package io.steerguard.stats;

/**
 * A time-uniform confidence sequence for a Bernoulli rate, built from counts alone: the
 * beta-binomial (conjugate) mixture martingale of Robbins' method of mixtures, as analysed by
 * Howard, Ramdas, McAuliffe and Sekhon (2021) and compared with betting sequences by
 * Waudby-Smith and Ramdas (2023).
 *
 * <p>For a candidate rate m and k successes in n trials, the mixture of the likelihood ratios
 * against m under a Beta(a, b) prior on the alternative is
 * <pre>
 *   M_n(m) = B(a + k, b + n − k) / B(a, b)  /  ( m^k (1 − m)^(n − k) ).
 * </pre>
 * Under the true rate m*, M_n(m*) is a non-negative martingale that starts at 1, so by Ville's
 * inequality P(∃ n : M_n(m*) ≥ 1/α) ≤ α. The set {m : M_n(m) &lt; 1/α} therefore covers m* at every
 * n at once, with probability at least 1 − α: a rule that blocks when the set lies above a limit
 * may look after every sample, forever, and still blocks a profile at the limit with probability
 * at most α. A fixed-sample interval re-checked after every sample gives no such bound; its error
 * grows with the number of looks.
 *
 * <p>ln M_n(m) is convex in m (its m-dependent part is −k ln m − (n − k) ln(1 − m)) with its minimum
 * at p̂ = k/n, where M_n ≤ 1 (a mixture of likelihoods never exceeds the maximum likelihood). So
 * the set is an interval around p̂, and each end is found by bisection on its side.
 *
 * <p>Because it depends on (k, n) only, it works on the windowed and Redis-shared counters as they
 * are. The guarantee is exact for a window that still holds every sample since the profile's
 * statistics started (probation, or a window longer than the profile's life); once a sliding
 * window drops old samples it is a strong heuristic, and the simulation in
 * {@code docs/policy-statistics.md} measures it there.
 *
 * @param a the prior's first shape: the pseudo-count of successes
 * @param b the prior's second shape: the pseudo-count of failures
 */
public record ConfidenceSequence(double a, double b) {

    /**
     * Beta(½, 4): mean 0.11 with most of its mass below 0.3, where guardrail limits sit (externality
     * limits of 0.05 to 0.2). The prior never affects validity, only how soon a real excess is
     * caught; among (½, ½), (½, 4), (½, 9), (1, 19), (2, 38) and (5, 95), on seeded synthetic streams
     * against limit 0.05, it blocked a +5-point excess soonest (308 samples on average) and a
     * +15-point one about as soon as the best (53).
     */
    public static final ConfidenceSequence DEFAULT = new ConfidenceSequence(0.5, 4);

    private static final int BISECTIONS = 60;

    public ConfidenceSequence {
        if (!(a > 0 && b > 0 && Double.isFinite(a) && Double.isFinite(b))) {
            throw new IllegalArgumentException("prior shapes must be positive and finite, got a=" + a + ", b=" + b);
        }
    }

    /**
     * The sequence's interval at k successes in n trials, at two-sided miscoverage 1 − confidence;
     * n = 0 gives [0, 1] and a NaN point estimate, like {@link Wilson#estimate}.
     */
    public Estimate estimate(long k, long n, double confidence) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be within (0, 1), got " + confidence);
        }
        if (n == 0) {
            return new Estimate(Double.NaN, new Interval(0, 1), 0);
        }
        double p = (double) k / n;
        // ln M_n(m) < ln(1/α)  ⇔  k ln m + (n − k) ln(1 − m) > ln B(a+k, b+n−k) − ln B(a, b) − ln(1/α)
        double threshold = LogGamma.beta(a + k, b + n - k) - LogGamma.beta(a, b) + Math.log(1 - confidence);
        double lower = k == 0 ? 0 : bisect(k, n, threshold, 0, p);
        double upper = k == n ? 1 : bisect(k, n, threshold, 1, p);
        return new Estimate(p, new Interval(Math.min(lower, p), Math.max(upper, p)), n);
    }

    /**
     * The point between {@code outside} (where the log-likelihood is below the threshold) and
     * {@code inside} (p̂, where it is above) at which it crosses; returns the outside end of the
     * last bracket, so the interval is never narrower than the exact set.
     */
    private static double bisect(long k, long n, double threshold, double outside, double inside) {
        double out = outside;
        double in = inside;
        for (int i = 0; i < BISECTIONS; i++) {
            double mid = (out + in) / 2;
            if (logLikelihood(k, n, mid) > threshold) {
                in = mid;
            } else {
                out = mid;
            }
        }
        return out;
    }

    private static double logLikelihood(long k, long n, double m) {
        double ll = 0;
        if (k > 0) {
            ll += k * Math.log(m);
        }
        if (n > k) {
            ll += (n - k) * Math.log1p(-m);
        }
        return ll;
    }
}
