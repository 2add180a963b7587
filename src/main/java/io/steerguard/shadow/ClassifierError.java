package io.steerguard.shadow;

import io.steerguard.stats.Wilson;

/**
 * How often the refusal classifier errs, as counted on human-labelled answers: the confusion
 * matrix with "refused" as the positive class. Sensitivity = TP / (TP + FN), specificity =
 * TN / (TN + FP); the counts, not only the rates, are kept because the uncertainty of the rates
 * widens the corrected intervals ({@link MisclassificationCorrection}).
 *
 * <p>{@link #NONE} (all zeros) means "no measurement: trust the verdicts as they are" and leaves
 * every statistic exactly as the plain Wilson interval gives it.
 */
public record ClassifierError(long truePositives, long falseNegatives, long trueNegatives, long falsePositives) {

    /** No correction: verdicts are taken as truth. */
    public static final ClassifierError NONE = new ClassifierError(0, 0, 0, 0);

    public ClassifierError {
        if (truePositives < 0 || falseNegatives < 0 || trueNegatives < 0 || falsePositives < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        boolean none = truePositives + falseNegatives + trueNegatives + falsePositives == 0;
        if (!none && (truePositives + falseNegatives == 0 || trueNegatives + falsePositives == 0)) {
            throw new IllegalArgumentException("a measurement needs labelled refusals and labelled compliant answers");
        }
    }

    /** A measurement from rates and the number of labelled refusals and compliant answers behind them. */
    public static ClassifierError of(double sensitivity, long refusals, double specificity, long compliant) {
        long tp = Math.round(sensitivity * refusals);
        long tn = Math.round(specificity * compliant);
        return new ClassifierError(tp, refusals - tp, tn, compliant - tn);
    }

    public boolean isNone() {
        return this.equals(NONE);
    }

    /** P(verdict refused | answer refused); 1 for {@link #NONE}. */
    public double sensitivity() {
        return isNone() ? 1 : (double) truePositives / (truePositives + falseNegatives);
    }

    /** P(verdict compliant | answer compliant); 1 for {@link #NONE}. */
    public double specificity() {
        return isNone() ? 1 : (double) trueNegatives / (trueNegatives + falsePositives);
    }

    public long refusals() {
        return truePositives + falseNegatives;
    }

    public long compliant() {
        return trueNegatives + falsePositives;
    }
}
