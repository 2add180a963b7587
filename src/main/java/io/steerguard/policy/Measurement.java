package io.steerguard.policy;

import java.util.Objects;

/**
 * One statistic against one limit, as the audit log keeps it.
 *
 * @param limit   the limit's field name, e.g. {@code maxExternalityRate}
 * @param policy  the policy that set it
 * @param value   the point estimate (NaN when nothing was observed)
 * @param lower   the interval's lower bound
 * @param upper   the interval's upper bound
 * @param samples observations behind it
 * @param bound   the limit's value
 * @param outcome how the interval rule judged it
 */
public record Measurement(String limit, String policy, double value, double lower, double upper, long samples,
                          double bound, LimitOutcome outcome) {

    public Measurement {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Measurement of(LimitEvaluation e) {
        return new Measurement(e.kind().field(), e.policy(), e.estimate().value(), e.estimate().interval().lower(),
                e.estimate().interval().upper(), e.estimate().n(), e.limit(), e.outcome());
    }
}
