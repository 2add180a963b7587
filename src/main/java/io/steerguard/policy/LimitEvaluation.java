package io.steerguard.policy;

import io.steerguard.stats.Estimate;

import java.util.Objects;

/**
 * One statistic judged against one policy's limit.
 *
 * @param kind     the statistic
 * @param policy   the policy that set the limit
 * @param limit    the limit's value
 * @param rule     the policy's decision rule (window, minSamples, confidence) used to judge it
 * @param action   the policy's action
 * @param estimate the statistic with its interval and sample count
 * @param outcome  the verdict of the interval rule
 */
public record LimitEvaluation(LimitKind kind, String policy, double limit, DecisionRule rule, PolicyAction action,
                              Estimate estimate, LimitOutcome outcome) {

    public LimitEvaluation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * The interval rule. With n below minSamples nothing is judged. Otherwise, for a ceiling L:
     * EXCEEDED when the interval's lower bound is above L, WARN when only the point estimate is, OK
     * else; a floor mirrors this with the upper bound. So a limit is never exceeded on luck alone: at
     * 95% confidence the lower bound passes L only when the data make a true rate below L implausible.
     */
    public static LimitOutcome judge(LimitKind kind, double limit, Estimate e, int minSamples) {
        if (e.n() < minSamples || !e.hasData()) {
            return LimitOutcome.INSUFFICIENT_SAMPLES;
        }
        if (kind.isMaximum()) {
            return e.interval().lower() > limit ? LimitOutcome.EXCEEDED
                    : e.value() > limit ? LimitOutcome.WARN : LimitOutcome.OK;
        }
        return e.interval().upper() < limit ? LimitOutcome.EXCEEDED
                : e.value() < limit ? LimitOutcome.WARN : LimitOutcome.OK;
    }
}
