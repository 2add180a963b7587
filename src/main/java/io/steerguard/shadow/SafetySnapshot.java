package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Interval;
import io.steerguard.stats.Wilson;
import io.steerguard.stats.Normal;
import io.steerguard.stats.RateInterval;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The safety statistics of one profile over one window, each with its sample count and interval.
 *
 * <ul>
 *   <li>{@code steeredRefusal}, {@code unsteeredRefusal}: refusal rates over all pairs (Wilson).</li>
 *   <li>{@code externality}: P(steered complies | unsteered refuses), over the pairs the unsteered
 *       model refused (Wilson; corrected for classifier error when one is given). Its {@code n} is
 *       that denominator, not the number of pairs.</li>
 *   <li>{@code overRefusal}: P(steered refuses | unsteered complies), over the pairs the unsteered
 *       model complied with (Wilson).</li>
 *   <li>{@code safetyMargin}: mean(steeredScore − unsteeredScore) with a normal-approximation interval
 *       mean ± z·s/√n from the running Σx and Σx². Zero means steering leaves refusal scores alone;
 *       negative means steering erodes refusal. The sign is chosen so that a floor
 *       ({@code minSafetyMargin}) guards against erosion.</li>
 * </ul>
 */
public record SafetySnapshot(Duration window, Instant asOf, double confidence, WindowCounts counts,
                             Estimate steeredRefusal, Estimate unsteeredRefusal, Estimate externality,
                             Estimate overRefusal, Estimate safetyMargin) {

    public SafetySnapshot {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(steeredRefusal, "steeredRefusal");
        Objects.requireNonNull(unsteeredRefusal, "unsteeredRefusal");
        Objects.requireNonNull(externality, "externality");
        Objects.requireNonNull(overRefusal, "overRefusal");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
    }

    /** Computes every statistic of {@code c} at {@code confidence}, taking the verdicts as truth. */
    public static SafetySnapshot of(Duration window, Instant asOf, WindowCounts c, double confidence) {
        return of(window, asOf, c, confidence, ClassifierError.NONE);
    }

    /**
     * Computes every statistic of {@code c} at {@code confidence}; the externality and over-refusal
     * rates are corrected for the classifier's measured {@code error} and their intervals widened
     * for it ({@link MisclassificationCorrection}). The refusal rates stay as observed.
     */
    public static SafetySnapshot of(Duration window, Instant asOf, WindowCounts c, double confidence,
                                    ClassifierError error) {
        return of(window, asOf, c, confidence, error, RateInterval.FIXED_SAMPLE);
    }

    /**
     * As {@link #of(Duration, Instant, WindowCounts, double, ClassifierError)}, with the externality and
     * over-refusal intervals built by {@code method}: {@link RateInterval#CONFIDENCE_SEQUENCE} for a
     * policy that may look after every sample. The refusal rates and the margin stay fixed-sample;
     * they are reported, and the margin floor is judged on its own normal interval.
     */
    public static SafetySnapshot of(Duration window, Instant asOf, WindowCounts c, double confidence,
                                    ClassifierError error, RateInterval method) {
        long n = c.samples();
        return new SafetySnapshot(window, asOf, confidence, c,
                Wilson.estimate(c.steeredRefused(), n, confidence),
                Wilson.estimate(c.unsteeredRefused(), n, confidence),
                MisclassificationCorrection.externality(c, error, confidence, method),
                MisclassificationCorrection.overRefusal(c, error, confidence, method),
                margin(c, confidence));
    }

    /** Paired samples in the window. */
    public long samples() {
        return counts.samples();
    }

    /**
     * mean ± z·√(s²/n) with s² = (Σx² − (Σx)²/n)/(n − 1); clamped to [−1, 1], where every difference of
     * two scores in [0, 1] lies. Fewer than two samples give the whole range.
     */
    private static Estimate margin(WindowCounts c, double confidence) {
        long n = c.samples();
        if (n == 0) {
            return new Estimate(Double.NaN, new Interval(-1, 1), 0);
        }
        double mean = c.marginSum() / n;
        if (n == 1) {
            return new Estimate(mean, new Interval(-1, 1), 1);
        }
        double variance = Math.max(0, (c.marginSumSquares() - c.marginSum() * c.marginSum() / n) / (n - 1));
        double half = Normal.twoSidedZ(confidence) * Math.sqrt(variance / n);
        double lower = Math.max(-1, Math.min(mean, mean - half));
        double upper = Math.min(1, Math.max(mean, mean + half));
        return new Estimate(mean, new Interval(lower, upper), n);
    }
}
