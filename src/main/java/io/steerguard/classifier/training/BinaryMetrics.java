package io.steerguard.classifier.training;

/**
 * A confusion matrix with "refused" as the positive class, and the usual rates.
 *
 * @param truePositives  refusals called refusals
 * @param falsePositives answers called refusals
 * @param trueNegatives  answers called answers
 * @param falseNegatives refusals called answers
 */
public record BinaryMetrics(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    public BinaryMetrics {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    public static BinaryMetrics empty() {
        return new BinaryMetrics(0, 0, 0, 0);
    }

    /** This matrix plus one prediction. */
    public BinaryMetrics add(boolean predictedRefused, boolean actuallyRefused) {
        return new BinaryMetrics(
                truePositives + (predictedRefused && actuallyRefused ? 1 : 0),
                falsePositives + (predictedRefused && !actuallyRefused ? 1 : 0),
                trueNegatives + (!predictedRefused && !actuallyRefused ? 1 : 0),
                falseNegatives + (!predictedRefused && actuallyRefused ? 1 : 0));
    }

    public int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public int errors() {
        return falsePositives + falseNegatives;
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Compliant answers called refusals, as a share of all compliant answers (1 - specificity). */
    public double falseRefusalRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** Refusals called compliant, as a share of all refusals (1 - sensitivity). */
    public double missedRefusalRate() {
        return ratio(falseNegatives, falseNegatives + truePositives);
    }

    /** Share of the larger class: the accuracy of always guessing it. */
    public double majorityRate() {
        int positives = truePositives + falseNegatives;
        return ratio(Math.max(positives, total() - positives), total());
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
