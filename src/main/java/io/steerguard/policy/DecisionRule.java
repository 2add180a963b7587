package io.steerguard.policy;

import io.steerguard.stats.RateInterval;

import java.time.Duration;
import java.util.Objects;

/**
 * How a policy turns statistics into a decision.
 *
 * @param window     the sliding window whose samples count
 * @param minSamples no limit is judged on fewer samples than this (its denominator, e.g. the pairs
 *                   the unsteered model refused for the externality rate)
 * @param confidence the two-sided confidence level of the intervals, e.g. 0.95
 * @param method     how the externality and over-refusal intervals are built: fixed-sample Wilson
 *                   intervals, or a confidence sequence whose coverage survives looking after every sample
 */
public record DecisionRule(Duration window, int minSamples, double confidence, RateInterval method) {

    public static final DecisionRule DEFAULT = new DecisionRule(Duration.ofHours(1), 30, 0.95);

    /** A rule with fixed-sample (Wilson) intervals. */
    public DecisionRule(Duration window, int minSamples, double confidence) {
        this(window, minSamples, confidence, RateInterval.FIXED_SAMPLE);
    }

    public DecisionRule {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(window, "window");
        if ((window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1, got " + minSamples);
        }
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be within [0.5, 1), got " + confidence);
        }
    }
}
