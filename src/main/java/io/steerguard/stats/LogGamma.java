package io.steerguard.stats;

/**
 * ln Γ(x) for x &gt; 0, by the Lanczos approximation with g = 7 and nine coefficients (relative error
 * about 1e-15 over the positive reals), and the reflection formula below ½. The JDK has no
 * log-gamma, and the beta-binomial mixture of {@link ConfidenceSequence} needs ln B(a, b) for
 * counts in the millions, where Γ itself overflows.
 */
final class LogGamma {

    private static final double G = 7;
    private static final double[] C = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private LogGamma() {
    }

    static double of(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("ln Γ needs x > 0, got " + x);
        }
        if (x < 0.5) {
            // Γ(x) Γ(1 − x) = π / sin(πx)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - of(1 - x);
        }
        double y = x - 1;
        double sum = C[0];
        for (int i = 1; i < C.length; i++) {
            sum += C[i] / (y + i);
        }
        double t = y + G + 0.5;
        return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
    static double beta(double a, double b) {
        return of(a) + of(b) - of(a + b);
    }
}
