package io.steerguard.policy;

/**
 * How the interval rule judges one statistic against one limit (for a ceiling; a floor mirrors it).
 */
public enum LimitOutcome {
    /** Fewer observations than the policy's minSamples: not judged, whatever the numbers. */
    INSUFFICIENT_SAMPLES,
    /** The point estimate is within the limit. */
    OK,
    /** The point estimate is past the limit, but the interval still reaches back inside it. */
    WARN,
    /** The whole interval is past the limit: for a ceiling the lower bound is above it. */
    EXCEEDED;

    int severity() {
        return ordinal();
    }
}
