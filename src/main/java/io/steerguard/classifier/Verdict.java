package io.steerguard.classifier;

import java.util.Objects;

/**
 * One refusal verdict on one (prompt, response) exchange.
 *
 * @param refused whether the response refuses (fully or partially) what the prompt asked
 * @param score   the classifier's confidence that the response is a refusal, within [0, 1];
 *                tiers decide {@code refused} with their own threshold, so a score of 0.45 may
 *                still be a refusal for a head whose threshold is 0.4
 * @param method  which tier produced the verdict, e.g. {@code "lexical"}, or a fallback chain
 *                such as {@code "judge->embedding"}; a bounded set of values, safe as a metric tag
 */
public record Verdict(boolean refused, double score, String method) {

    public Verdict {
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within [0, 1], was " + score);
        }
        Objects.requireNonNull(method, "method");
        if (method.isBlank()) {
            throw new IllegalArgumentException("method must not be blank");
        }
    }

    /** A refusal with the given confidence. */
    public static Verdict refusal(double score, String method) {
        return new Verdict(true, score, method);
    }

    /** A compliant answer; {@code score} is still the (low) refusal confidence. */
    public static Verdict compliance(double score, String method) {
        return new Verdict(false, score, method);
    }

    /** Refused when {@code score >= threshold}. */
    public static Verdict fromScore(double score, double threshold, String method) {
        return new Verdict(score >= threshold, score, method);
    }

    /** The same verdict reached through a fallback: {@code "judge"} + {@code "embedding"} gives {@code "judge->embedding"}. */
    public Verdict viaFallbackFrom(String failedMethod) {
        return new Verdict(refused, score, failedMethod + "->" + method);
    }
}
