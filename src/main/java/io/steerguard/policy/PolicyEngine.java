package io.steerguard.policy;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Interval;
import io.steerguard.shadow.ProbeResult;
import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.StatisticsSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a profile's statistics against every policy that matches it. Pure: the same policies and
 * statistics give the same decision.
 *
 * <p>Several policies may limit the same statistic. Each (policy, limit) pair is judged with that
 * policy's own window, minSamples and confidence, and the strictest verdict wins: one exceeded
 * limit is enough, the action is the strictest among the exceeded limits' policies (block over
 * fallback-unsteered over alert), and among equally strict actions the stricter limit value
 * decides and is named as the deciding policy. A looser policy with a harsher action is therefore
 * never shadowed by a stricter one with a milder action.
 */
public final class PolicyEngine {

    private static final Estimate NOTHING = new Estimate(Double.NaN, new Interval(-1, 1), 0);

    /** Order of reasons: strictest action first, then statistic, then stricter limit, then policy name. */
    static final Comparator<LimitEvaluation> DECIDING_FIRST = Comparator
            .comparingInt((LimitEvaluation e) -> -e.action().strictness())
            .thenComparing(LimitEvaluation::kind)
            .thenComparing((a, b) -> a.kind().stricter(a.limit(), b.limit()) ? -1
                    : b.kind().stricter(b.limit(), a.limit()) ? 1 : 0)
            .thenComparing(LimitEvaluation::policy);

    private PolicyEngine() {
    }

    /**
     * @param policies the policies that match the profile (see {@link PolicySet#matching(String, Map)})
     * @param stats    the profile's statistics (for a profile in probation, the view since it entered)
     */
    public static Decision evaluate(List<GuardrailPolicy> policies, StatisticsSource stats) {
        Map<String, SafetySnapshot> snapshots = new HashMap<>();
        Optional<ProbeResult> probe = stats.latestProbe();
        List<LimitEvaluation> evaluations = new ArrayList<>();
        boolean enoughSamples = true;
        for (GuardrailPolicy p : policies) {
            DecisionRule rule = p.decision();
            SafetySnapshot snap = snapshots.computeIfAbsent(rule.window() + "@" + rule.confidence() + "/" + rule.method(),
                    k -> stats.snapshot(rule.window(), rule.confidence(), rule.method()));
            if (!p.limits().isEmpty() && snap.samples() < rule.minSamples()) {
                enoughSamples = false;
            }
            p.limits().values().forEach((kind, limit) -> {
                Estimate e = estimate(kind, snap, probe, rule.confidence());
                evaluations.add(new LimitEvaluation(kind, p.name(), limit, rule, p.action(), e,
                        LimitEvaluation.judge(kind, limit, e, rule.minSamples())));
            });
        }
        evaluations.sort(Comparator.comparing(LimitEvaluation::kind).thenComparing(DECIDING_FIRST));
        List<LimitEvaluation> exceeded = evaluations.stream()
                .filter(e -> e.outcome() == LimitOutcome.EXCEEDED).sorted(DECIDING_FIRST).toList();
        if (!exceeded.isEmpty()) {
            PolicyAction action = exceeded.get(0).action();
            Recovery recovery = exceeded.stream()
                    .filter(e -> e.action() == action)
                    .map(e -> policy(policies, e.policy()).recovery())
                    .reduce(Recovery::strictest).orElse(Recovery.MANUAL);
            return new Decision.Exceeded(action, exceeded.get(0).policy(), recovery, exceeded, evaluations,
                    enoughSamples);
        }
        List<LimitEvaluation> warned = evaluations.stream().filter(e -> e.outcome() == LimitOutcome.WARN).toList();
        if (!warned.isEmpty()) {
            return new Decision.Warn(warned, evaluations, enoughSamples);
        }
        return new Decision.Healthy(evaluations, enoughSamples);
    }

    private static Estimate estimate(LimitKind kind, SafetySnapshot snap, Optional<ProbeResult> probe,
                                     double confidence) {
        return switch (kind) {
            case EXTERNALITY_RATE -> snap.externality();
            case OVER_REFUSAL_RATE -> snap.overRefusal();
            case SAFETY_MARGIN -> snap.safetyMargin();
            case ASR_UPLIFT -> probe.map(r -> r.uplift(confidence)).orElse(NOTHING);
        };
    }

    private static GuardrailPolicy policy(List<GuardrailPolicy> policies, String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("evaluation of unknown policy " + name));
    }

    /** The windows the given policies judge on, for {@code ProfileStatistics.ensureWindow}. */
    public static List<Duration> windows(List<GuardrailPolicy> policies) {
        return policies.stream().map(p -> p.decision().window()).distinct().sorted().toList();
    }
}
