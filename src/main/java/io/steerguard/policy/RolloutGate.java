package io.steerguard.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.steerguard.shadow.StatisticsSource;

/**
 * The safety gate of a rollout: judges a candidate profile's statistics against every limit of
 * every policy that selects it, each with that policy's own decision rule (window, minSamples,
 * confidence, and method: fixed-sample interval or confidence sequence). Pure: the same inputs
 * give the same verdict.
 *
 * <ul>
 *   <li><b>Roll back</b> when any limit is exceeded by its rule (the whole interval past it, on at
 *       least minSamples), whatever the policy's action — or when the candidate profile is BLOCKED.</li>
 *   <li><b>Promote</b> when every limit is cleared: at least minSamples observations and the whole
 *       interval on the safe side (upper bound ≤ a ceiling, lower bound ≥ a floor).</li>
 *   <li><b>Hold</b> otherwise: some limit is not decided yet (too few samples, no probe audit for
 *       {@code maxAsrUplift}, or an interval that straddles the limit).</li>
 * </ul>
 * With {@code method: confidence-sequence} the interval covers the true rate at every sample size
 * at once with probability at least the policy's confidence, so however often the gate looks, a
 * candidate whose true rate is past a limit is promoted, or one within every limit rolled back, with
 * probability at most 1 − confidence. The fixed-sample interval gives that bound only for one look.
 */
public final class RolloutGate {

    private RolloutGate() {
    }

    /** What the gate says about a candidate now. */
    public sealed interface Verdict {
        /** Why, in words (for the audit log and the admin API). */
        String reason();

        /** Every limit judged, for the audit log. */
        List<LimitEvaluation> evaluations();

        record Promote(String reason, List<LimitEvaluation> evaluations) implements Verdict {
            public Promote {
                Objects.requireNonNull(reason, "reason");
                evaluations = List.copyOf(evaluations);
            }
        }

        record RollBack(String reason, List<LimitEvaluation> evaluations) implements Verdict {
            public RollBack {
                Objects.requireNonNull(reason, "reason");
                evaluations = List.copyOf(evaluations);
            }
        }

        record Hold(String reason, List<LimitEvaluation> evaluations) implements Verdict {
            public Hold {
                Objects.requireNonNull(reason, "reason");
                evaluations = List.copyOf(evaluations);
            }
        }
    }

    /**
     * @param policies  the policies that select the candidate for the rollout's tenant
     * @param stats     the candidate's statistics as its state machine judges them
     * @param candidate the candidate's profile state, empty when it is not registered yet
     */
    public static Verdict judge(List<GuardrailPolicy> policies, StatisticsSource stats,
                                Optional<ProfileStatus> candidate) {
        if (candidate.isPresent() && candidate.get().state() == ProfileState.BLOCKED) {
            ProfileStatus s = candidate.get();
            return new Verdict.RollBack("candidate profile '" + s.profile() + "' is BLOCKED since " + s.since()
                    + (s.policy() == null ? "" : " by policy " + s.policy()), List.of());
        }
        List<GuardrailPolicy> limiting = policies.stream().filter(p -> !p.limits().isEmpty()).toList();
        if (limiting.isEmpty()) {
            return new Verdict.Hold("no policy limits the candidate: nothing to judge it by", List.of());
        }
        Decision decision = PolicyEngine.evaluate(limiting, stats);
        if (decision instanceof Decision.Exceeded x) {
            return new Verdict.RollBack("exceeded: " + describe(x.reasons()), decision.evaluations());
        }
        List<LimitEvaluation> open = decision.evaluations().stream().filter(e -> !clears(e)).toList();
        if (open.isEmpty()) {
            return new Verdict.Promote("every limit cleared: " + describe(decision.evaluations()),
                    decision.evaluations());
        }
        return new Verdict.Hold("not yet decided: " + describe(open), decision.evaluations());
    }

    /**
     * Whether the whole interval of {@code e} is on the safe side of its limit, on at least the
     * policy's minSamples observations.
     */
    public static boolean clears(LimitEvaluation e) {
        if (e.outcome() == LimitOutcome.INSUFFICIENT_SAMPLES || !e.estimate().hasData()
                || e.estimate().n() < e.rule().minSamples()) {
            return false;
        }
        return e.kind().isMaximum() ? e.estimate().interval().upper() <= e.limit()
                : e.estimate().interval().lower() >= e.limit();
    }

    private static String describe(List<LimitEvaluation> evaluations) {
        return evaluations.stream().map(RolloutGate::describe).collect(Collectors.joining("; "));
    }

    private static String describe(LimitEvaluation e) {
        String bounds = e.estimate().hasData()
                ? String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]", e.estimate().value(),
                        e.estimate().interval().lower(), e.estimate().interval().upper())
                : "no data";
        return String.format(java.util.Locale.ROOT, "%s %s on %d (need %d) vs %s %.3f at %.0f%% %s, policy %s",
                e.kind().label(), bounds, e.estimate().n(), e.rule().minSamples(), e.kind().field(), e.limit(),
                e.rule().confidence() * 100, e.rule().method().configName(), e.policy());
    }
}
