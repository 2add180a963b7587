package io.steerguard.classifier;

/**
 * Platt scaling of a raw logit {@code z}: {@code p = sigmoid(a · z + b)}. The learned tier ships one
 * ({@link LearnedHead#plattA()}, {@link LearnedHead#plattB()}); a deployment may refit it on its own
 * labelled answers ({@link PlattFit}).
 *
 * @param a slope on the raw logit; positive, or the score would read refusals backwards
 * @param b intercept
 */
public record Platt(double a, double b) {

    public Platt {
        if (!(Double.isFinite(a) && a > 0)) {
            throw new IllegalArgumentException("a must be finite and positive, was " + a);
        }
        if (!Double.isFinite(b)) {
            throw new IllegalArgumentException("b must be finite, was " + b);
        }
    }

    /** The calibration the model file ships with. */
    public static Platt shipped(LearnedHead head) {
        return new Platt(head.plattA(), head.plattB());
    }

    /** The calibrated refusal probability of a raw logit. */
    public double probability(double logit) {
        return LogisticHead.sigmoid(a * logit + b);
    }
}
