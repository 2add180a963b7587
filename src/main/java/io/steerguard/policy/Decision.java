package io.steerguard.policy;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of all policies that judge one profile, from {@link PolicyEngine#evaluate}.
 * Every variant carries every evaluation, for explanations and the audit log.
 */
public sealed interface Decision {

    /** Every limit of every matching policy, judged. */
    List<LimitEvaluation> evaluations();

    /**
     * Whether every matching policy had at least its minSamples paired samples in its window (true
     * when no policy matches): the condition for leaving PROBATION.
     */
    boolean enoughSamples();

    /** No limit is past its value, or nothing could be judged yet. */
    record Healthy(List<LimitEvaluation> evaluations, boolean enoughSamples) implements Decision {
        public Healthy {
            evaluations = List.copyOf(evaluations);
        }
    }

    /**
     * Some point estimate is past its limit but no interval proves it: keep steering, watch closely.
     *
     * @param reasons the evaluations with outcome WARN
     */
    record Warn(List<LimitEvaluation> reasons, List<LimitEvaluation> evaluations, boolean enoughSamples)
            implements Decision {
        public Warn {
            reasons = List.copyOf(reasons);
            evaluations = List.copyOf(evaluations);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("reasons must not be empty");
            }
        }
    }

    /**
     * At least one limit is exceeded by the interval rule.
     *
     * @param action   the strictest action among the exceeded limits' policies
     * @param policy   the policy that decided: the first reason's
     * @param recovery the strictest recovery among the exceeded limits' policies
     * @param reasons  the evaluations with outcome EXCEEDED, the deciding one first
     */
    record Exceeded(PolicyAction action, String policy, Recovery recovery, List<LimitEvaluation> reasons,
                    List<LimitEvaluation> evaluations, boolean enoughSamples) implements Decision {
        public Exceeded {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(recovery, "recovery");
            reasons = List.copyOf(reasons);
            evaluations = List.copyOf(evaluations);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("reasons must not be empty");
            }
        }
    }
}
