package io.steerguard.classifier;

import java.util.Objects;

/**
 * One tier's reading of one answer, as a review shows it beside the other tiers'.
 *
 * @param tier      the tier's method id ({@link ClassifierMethod#id()})
 * @param refused   the tier's verdict
 * @param score     its refusal score in [0, 1]
 * @param threshold the score at which the tier calls a refusal, NaN where the tier has none
 * @param logit     the learned tier's raw logit {@code w·x + b} before calibration (what a
 *                  recalibration refits), NaN for the other tiers
 */
public record TierReading(String tier, boolean refused, double score, double threshold, double logit) {

    public TierReading {
        Objects.requireNonNull(tier, "tier");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be within [0, 1], was " + score);
        }
    }

    /** A tier that shows its verdict only. */
    public static TierReading of(Verdict v) {
        return new TierReading(v.method(), v.refused(), v.score(), Double.NaN, Double.NaN);
    }

    public boolean hasLogit() {
        return Double.isFinite(logit);
    }
}
