package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Interval;
import io.steerguard.stats.Wilson;
import io.steerguard.stats.Normal;
import io.steerguard.stats.RateInterval;

/**
 * Externality and over-refusal rates corrected for a classifier that errs: the paired version of
 * the Rogan–Gladen estimator, with a delta-method interval that carries the sampling noise of the
 * window and the uncertainty of the measured sensitivity and specificity.
 *
 * <p>Model. Each pair has a true outcome (unsteered U, steered S), each refused (R) or complied (C),
 * with cell probabilities π = (π_RR, π_RC, π_CR, π_CC) (first letter U, second S). The classifier
 * reads each answer independently: P(R̂ | R) = Se, P(R̂ | C) = 1 − Sp, so the observed cells are
 * q = (M ⊗ M) π with M = [[Se, 1 − Sp], [1 − Se, Sp]]. Inverting,
 * <pre>
 *   π̂ = (M⁻¹ ⊗ M⁻¹) q̂,   M⁻¹ = [[Sp, −(1 − Sp)], [−(1 − Se), Se]] / (Se + Sp − 1),
 * </pre>
 * negative cells are set to zero, and
 * <pre>
 *   externality  = π_RC / (π_RR + π_RC)   (steered complies | unsteered refuses)
 *   over-refusal = π_CR / (π_CR + π_CC)   (steered refuses | unsteered complies)
 * </pre>
 * With one answer (not a pair) this reduces to Rogan–Gladen, (p̂ + Sp − 1) / (Se + Sp − 1).
 *
 * <p>Interval. Var(q̂) = (diag q − q qᵀ) / n (multinomial; q from the counts plus ½ per cell, so a
 * window with no externalities still has width), Var(Se) = Se(1 − Se) / n_refusals,
 * Var(Sp) = Sp(1 − Sp) / n_compliant, all independent; the rate's variance is gᵀ Σ g with g the
 * gradient by central differences. The interval is rate ± z·sd, clipped to [0, 1], and never
 * narrower than a conservative floor: the Wilson interval of the uncorrected counts, stretched by
 * 1 / (Se + Sp − 1), hung below the lowest (above the highest) corrected rate that Se and Sp at the
 * ends of their own Wilson intervals give. On few samples it is so no bolder than the rule without
 * correction, and a window evaluated again and again does not cross a limit on a lucky measurement
 * of Se and Sp.
 * The estimate's {@code n} is the observed denominator, as for the uncorrected rate.
 *
 * <p>A classifier no better than a coin (Se + Sp ≤ 1) cannot be corrected for: the estimate is
 * NaN with the whole range as interval, which never exceeds a limit.
 */
public final class MisclassificationCorrection {

    /** Se + Sp − 1 below this is treated as uninformative. */
    static final double MIN_INFORMATIVENESS = 0.2;
    private static final double STEP = 1e-5;

    private MisclassificationCorrection() {
    }

    /** P(steered complies | unsteered refuses), corrected, with a fixed-sample (Wilson) floor. */
    public static Estimate externality(WindowCounts c, ClassifierError error, double confidence) {
        return externality(c, error, confidence, RateInterval.FIXED_SAMPLE);
    }

    /** P(steered refuses | unsteered complies), corrected, with a fixed-sample (Wilson) floor. */
    public static Estimate overRefusal(WindowCounts c, ClassifierError error, double confidence) {
        return overRefusal(c, error, confidence, RateInterval.FIXED_SAMPLE);
    }

    /**
     * P(steered complies | unsteered refuses), corrected. {@code method} builds the uncorrected
     * interval, which is also the conservative floor of the corrected one: with
     * {@link RateInterval#CONFIDENCE_SEQUENCE} that floor is time-uniform.
     */
    public static Estimate externality(WindowCounts c, ClassifierError error, double confidence, RateInterval method) {
        Estimate uncorrected = method.estimate(c.externalities(), c.unsteeredRefused(), confidence);
        return error.isNone() ? uncorrected : corrected(c, error, confidence, true, uncorrected);
    }

    /** P(steered refuses | unsteered complies), corrected; {@code method} as for the externality. */
    public static Estimate overRefusal(WindowCounts c, ClassifierError error, double confidence, RateInterval method) {
        Estimate uncorrected = method.estimate(c.overRefusals(), c.samples() - c.unsteeredRefused(), confidence);
        return error.isNone() ? uncorrected : corrected(c, error, confidence, false, uncorrected);
    }

    private static Estimate corrected(WindowCounts c, ClassifierError error, double confidence, boolean externality,
                                      Estimate uncorrected) {
        long n = c.samples();
        if (uncorrected.n() == 0) {
            return uncorrected;
        }
        double se = error.sensitivity();
        double sp = error.specificity();
        if (se + sp - 1 < MIN_INFORMATIVENESS) {
            return new Estimate(Double.NaN, new Interval(0, 1), 0);
        }
        // observed cells (U, S): RR, RC, CR, CC
        long rc = c.externalities();
        long rr = c.unsteeredRefused() - rc;
        long cr = c.overRefusals();
        long cc = n - c.unsteeredRefused() - cr;
        double[] q = {rr, rc, cr, cc};
        double[] smoothed = new double[4];
        for (int i = 0; i < 4; i++) {
            smoothed[i] = (q[i] + 0.5) / (n + 2.0);
            q[i] /= n;
        }
        double rate = rate(q, se, sp, externality);
        if (Double.isNaN(rate)) {
            return new Estimate(Double.NaN, new Interval(0, 1), 0);
        }

        // Var(rate) = gᵀ Σ g over θ = (q₁..q₄, Se, Sp), gradient at the smoothed cells.
        double[] theta = {smoothed[0], smoothed[1], smoothed[2], smoothed[3], se, sp};
        double[] g = new double[6];
        for (int k = 0; k < 6; k++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[k] += STEP;
            down[k] -= STEP;
            g[k] = (rateAt(up, externality) - rateAt(down, externality)) / (2 * STEP);
        }
        double variance = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double cov = ((i == j ? smoothed[i] : 0) - smoothed[i] * smoothed[j]) / n;
                variance += g[i] * g[j] * cov;
            }
        }
        variance += g[4] * g[4] * se * (1 - se) / Math.max(1, error.refusals());
        variance += g[5] * g[5] * sp * (1 - sp) / Math.max(1, error.compliant());
        if (!Double.isFinite(variance)) {
            return new Estimate(Double.NaN, new Interval(0, 1), 0);
        }
        double half = Normal.twoSidedZ(confidence) * Math.sqrt(variance);
        // Conservative floor: the uncorrected Wilson bounds, stretched by 1 / (Se + Sp − 1), around the
        // rate corrected with Se and Sp at the ends of their own Wilson intervals that move it furthest.
        Estimate seRange = Wilson.estimate(error.truePositives(), error.refusals(), confidence);
        Estimate spRange = Wilson.estimate(error.trueNegatives(), error.compliant(), confidence);
        double low = rate;
        double high = rate;
        for (double s : new double[] {seRange.interval().lower(), seRange.interval().upper()}) {
            for (double p : new double[] {spRange.interval().lower(), spRange.interval().upper()}) {
                double r = s + p - 1 < MIN_INFORMATIVENESS ? Double.NaN : rate(q, s, p, externality);
                if (!Double.isNaN(r)) {
                    low = Math.min(low, r);
                    high = Math.max(high, r);
                }
            }
        }
        double stretch = 1 / (se + sp - 1);
        double belowWilson = (uncorrected.value() - uncorrected.interval().lower()) * stretch;
        double aboveWilson = (uncorrected.interval().upper() - uncorrected.value()) * stretch;
        double lower = Math.max(0, Math.min(rate - half, low - belowWilson));
        double upper = Math.min(1, Math.max(rate + half, high + aboveWilson));
        return new Estimate(rate, new Interval(Math.min(lower, rate), Math.max(upper, rate)), uncorrected.n());
    }

    private static double rateAt(double[] theta, boolean externality) {
        return rate(new double[] {theta[0], theta[1], theta[2], theta[3]}, theta[4], theta[5], externality);
    }

    /** The corrected conditional rate for observed cell shares q (RR, RC, CR, CC). */
    static double rate(double[] q, double se, double sp, boolean externality) {
        double det = se + sp - 1;
        // M⁻¹ rows: true R from (obs R, obs C), true C from (obs R, obs C)
        double[][] inv = {{sp / det, -(1 - sp) / det}, {-(1 - se) / det, se / det}};
        double[] pi = new double[4];
        for (int tu = 0; tu < 2; tu++) {
            for (int ts = 0; ts < 2; ts++) {
                double sum = 0;
                for (int ou = 0; ou < 2; ou++) {
                    for (int os = 0; os < 2; os++) {
                        sum += inv[tu][ou] * inv[ts][os] * q[2 * ou + os];
                    }
                }
                pi[2 * tu + ts] = Math.max(0, sum);
            }
        }
        double num = externality ? pi[1] : pi[2];
        double den = externality ? pi[0] + pi[1] : pi[2] + pi[3];
        if (den <= 0) {
            return Double.NaN;
        }
        return Math.min(1, num / den);
    }
}
