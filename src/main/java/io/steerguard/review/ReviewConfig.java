package io.steerguard.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The review queue, human labels and per-deployment recalibration ({@code steerguard.review.*}).
 * Labels and calibration versions are kept in {@code steerguard.policy.data-dir}.
 */
@ConfigMapping(prefix = "steerguard.review")
public interface ReviewConfig {

    /** Whether mirrored answers are queued for review at all (the admin endpoints answer either way). */
    @WithDefault("true")
    boolean enabled();

    /** Answers waiting for a label, at most; beyond it the least informative of the largest tenant's leave. */
    @WithDefault("500")
    int capacity();

    /**
     * An answer is queued when its deciding score lies within this distance of the threshold (or
     * when two tiers disagree on it), within [0, 0.5].
     */
    @WithDefault("0.1")
    double nearThresholdBand();

    /** Prompts and answers are kept, and shown, cut to this many characters. */
    @WithDefault("2000")
    int maxTextChars();

    /** Labels one {@code POST /admin/review/labels} may carry. */
    @WithDefault("100")
    int maxLabelsPerRequest();

    /** Longest {@code reviewer} name, in characters. */
    @WithDefault("128")
    int maxReviewerChars();

    /** Labelled answers remembered (the first labelled leave first). */
    @WithDefault("10000")
    int maxLabelled();

    /** What a recalibration needs. */
    Recalibration recalibration();

    /** Minimum labels for {@code POST /admin/review/recalibrate}. */
    interface Recalibration {
        /** Labelled answers with a learned score, at least. */
        @WithDefault("50")
        int minLabels();

        /** Of those, labelled refusals and labelled compliant answers, each at least. */
        @WithDefault("10")
        int minPerClass();
    }
}
