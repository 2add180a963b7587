package io.steerguard.policy;

import static io.steerguard.policy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.shadow.ProbeResult;
import io.steerguard.stats.RateInterval;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Scripted verdict streams that must, and must not, trigger each outcome of the interval rule. */
class PolicyEngineTest {

    private final TestPolicies.Stream stream = new TestPolicies.Stream();

    private Decision evaluate(GuardrailPolicy... policies) {
        return PolicyEngine.evaluate(List.of(policies), stream.stats);
    }

    @Test
    void threeUnluckySamples_neverBlock_evenWhenAllThreeAreExternalities() {
        stream.refusedByUnsteered(3, 3);

        Decision d = evaluate(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

        assertThat(d).isInstanceOf(Decision.Healthy.class);
        assertThat(d.evaluations().get(0).outcome()).isEqualTo(LimitOutcome.INSUFFICIENT_SAMPLES);
        assertThat(d.enoughSamples()).isFalse();
    }

    @Test
    void pointEstimateAboveLimit_withInconclusiveInterval_warns() {
        stream.refusedByUnsteered(30, 3); // 0.10, Wilson lower 0.0346 < 0.05

        Decision d = evaluate(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

        assertThat(d).isInstanceOf(Decision.Warn.class);
        assertThat(((Decision.Warn) d).reasons()).singleElement()
                .satisfies(e -> assertThat(e.estimate().value()).isEqualTo(0.1));
    }

    @Test
    void lowerBoundAboveLimit_exceeds_withThePolicysAction() {
        stream.refusedByUnsteered(30, 6); // 0.20, Wilson lower 0.0951 > 0.05

        for (PolicyAction action : PolicyAction.values()) {
            Decision d = evaluate(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, action));

            assertThat(d).isInstanceOf(Decision.Exceeded.class);
            assertThat(((Decision.Exceeded) d).action()).isEqualTo(action);
            assertThat(((Decision.Exceeded) d).policy()).isEqualTo("default");
        }
    }

    @Test
    void externalityDenominator_isOnlyThePairsTheUnsteeredModelRefused() {
        stream.refusedByUnsteered(10, 10).compliedByUnsteered(100, 0); // 110 pairs, but n = 10 for externality

        Decision d = evaluate(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

        assertThat(d.evaluations().get(0).estimate().n()).isEqualTo(10);
        assertThat(d.evaluations().get(0).outcome()).isEqualTo(LimitOutcome.INSUFFICIENT_SAMPLES);
    }

    @Test
    void healthyProfile_withEnoughSamples_isHealthy() {
        stream.refusedByUnsteered(60, 1);

        Decision d = evaluate(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

        assertThat(d).isInstanceOf(Decision.Healthy.class);
        assertThat(d.evaluations().get(0).outcome()).isEqualTo(LimitOutcome.OK);
        assertThat(d.enoughSamples()).isTrue();
    }

    @Test
    void overRefusal_exceeds_whenTheSteeredModelRefusesWhatTheUnsteeredAnswered() {
        stream.compliedByUnsteered(40, 20);

        Decision d = evaluate(policy("default", LimitKind.OVER_REFUSAL_RATE, 0.2, PolicyAction.ALERT));

        assertThat(d).isInstanceOf(Decision.Exceeded.class);
        assertThat(d.evaluations().get(0).kind()).isEqualTo(LimitKind.OVER_REFUSAL_RATE);
    }

    @Test
    void safetyMarginFloor_exceeds_onlyWhenTheUpperBoundIsBelowIt() {
        for (int i = 0; i < 40; i++) {
            stream.pair(false, 0.4 + (i % 2) * 0.1, true, 0.9); // margins −0.5 and −0.4
        }
        assertThat(evaluate(policy("m", LimitKind.SAFETY_MARGIN, -0.15, PolicyAction.BLOCK)))
                .isInstanceOf(Decision.Exceeded.class);
        // the mean −0.45 is below a floor of −0.44, but the interval [−0.466, −0.434] still reaches above it
        assertThat(evaluate(policy("m", LimitKind.SAFETY_MARGIN, -0.44, PolicyAction.BLOCK)))
                .isInstanceOf(Decision.Warn.class);
        assertThat(evaluate(policy("m", LimitKind.SAFETY_MARGIN, -0.6, PolicyAction.BLOCK)))
                .isInstanceOf(Decision.Healthy.class);
    }

    @Test
    void asrUplift_isJudgedOnTheLatestProbeRun() {
        GuardrailPolicy p = policy("probes", LimitKind.ASR_UPLIFT, 0.1, PolicyAction.FALLBACK_UNSTEERED);
        assertThat(evaluate(p).evaluations().get(0).outcome()).isEqualTo(LimitOutcome.INSUFFICIENT_SAMPLES);

        stream.stats.recordProbe(new ProbeResult("p", stream.instant(), 100, 40, 5));
        assertThat(evaluate(p)).isInstanceOf(Decision.Exceeded.class);

        stream.stats.recordProbe(new ProbeResult("p", stream.instant(), 100, 8, 5));
        assertThat(evaluate(p)).isInstanceOf(Decision.Healthy.class);
    }

    @Test
    void strictestLimit_wins_andIsNamedAsTheDecidingPolicy() {
        stream.refusedByUnsteered(200, 22); // 0.11: lower 0.074 > 0.05, but < 0.10
        GuardrailPolicy strict = policy("strict", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK);
        GuardrailPolicy loose = policy("loose", LimitKind.EXTERNALITY_RATE, 0.10, PolicyAction.BLOCK);

        Decision d = evaluate(loose, strict);

        assertThat(d).isInstanceOf(Decision.Exceeded.class);
        assertThat(((Decision.Exceeded) d).policy()).isEqualTo("strict");
        assertThat(d.evaluations()).extracting(LimitEvaluation::policy, LimitEvaluation::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("strict", LimitOutcome.EXCEEDED),
                        org.assertj.core.groups.Tuple.tuple("loose", LimitOutcome.WARN));
    }

    @Test
    void whenSeveralLimitsAreExceeded_theStrictestValueDecides() {
        stream.refusedByUnsteered(100, 50);

        Decision d = evaluate(policy("loose", LimitKind.EXTERNALITY_RATE, 0.10, PolicyAction.BLOCK),
                policy("strict", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

        assertThat(((Decision.Exceeded) d).policy()).isEqualTo("strict");
        assertThat(((Decision.Exceeded) d).reasons()).extracting(LimitEvaluation::policy)
                .containsExactly("strict", "loose");
    }

    @Test
    void strictAlertPolicy_doesNotShadowALooserBlockingOne() {
        stream.refusedByUnsteered(100, 50);
        GuardrailPolicy alert = policy("watch", LimitKind.EXTERNALITY_RATE, 0.02, PolicyAction.ALERT);
        GuardrailPolicy block = policy("hard", LimitKind.EXTERNALITY_RATE, 0.20, PolicyAction.BLOCK);

        Decision d = evaluate(alert, block);

        assertThat(((Decision.Exceeded) d).action()).isEqualTo(PolicyAction.BLOCK);
        assertThat(((Decision.Exceeded) d).policy()).isEqualTo("hard");
    }

    @Test
    void onlyTheAlertLimitExceeded_givesAnAlert() {
        stream.refusedByUnsteered(100, 10);

        Decision d = evaluate(policy("watch", LimitKind.EXTERNALITY_RATE, 0.02, PolicyAction.ALERT),
                policy("hard", LimitKind.EXTERNALITY_RATE, 0.20, PolicyAction.BLOCK));

        assertThat(((Decision.Exceeded) d).action()).isEqualTo(PolicyAction.ALERT);
    }

    @Test
    void recovery_ofAnExceededDecision_isTheStrictestAmongTheDecidingPolicies() {
        stream.refusedByUnsteered(100, 50);
        DecisionRule rule = DecisionRule.DEFAULT;

        Decision d = evaluate(
                policy("auto", Map.of(LimitKind.EXTERNALITY_RATE, 0.1), rule, PolicyAction.BLOCK,
                        Recovery.auto(Duration.ofHours(1))),
                policy("auto-long", Map.of(LimitKind.EXTERNALITY_RATE, 0.2), rule, PolicyAction.BLOCK,
                        Recovery.auto(Duration.ofHours(6))));
        assertThat(((Decision.Exceeded) d).recovery()).isEqualTo(Recovery.auto(Duration.ofHours(6)));

        Decision manual = evaluate(
                policy("auto", Map.of(LimitKind.EXTERNALITY_RATE, 0.1), rule, PolicyAction.BLOCK,
                        Recovery.auto(Duration.ofHours(1))),
                policy("manual", Map.of(LimitKind.EXTERNALITY_RATE, 0.2), rule, PolicyAction.BLOCK, Recovery.MANUAL));
        assertThat(((Decision.Exceeded) manual).recovery()).isEqualTo(Recovery.MANUAL);
    }

    @Test
    void eachPolicy_isJudgedOnItsOwnWindow() {
        stream.refusedByUnsteered(60, 30).advance(Duration.ofMinutes(10));
        GuardrailPolicy shortWindow = policy("short", Map.of(LimitKind.EXTERNALITY_RATE, 0.05),
                new DecisionRule(Duration.ofMinutes(5), 30, 0.95), PolicyAction.BLOCK, Recovery.MANUAL);
        GuardrailPolicy hourWindow = policy("hour", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK);

        assertThat(evaluate(shortWindow)).isInstanceOf(Decision.Healthy.class);
        assertThat(evaluate(hourWindow)).isInstanceOf(Decision.Exceeded.class);
    }

    @Test
    void noMatchingPolicy_isHealthy_withEnoughSamples() {
        Decision d = PolicyEngine.evaluate(List.of(), stream.stats);

        assertThat(d).isEqualTo(new Decision.Healthy(List.of(), true));
    }

    @Test
    void theSameCountsThatExceedUnderTheIntervalRule_onlyWarnUnderTheConfidenceSequence() {
        stream.refusedByUnsteered(30, 6); // 0.20: Wilson lower 0.0951 > 0.05; the sequence's lower bound is about 0.03

        Decision interval = evaluate(policy("default", Map.of(LimitKind.EXTERNALITY_RATE, 0.05),
                new DecisionRule(Duration.ofHours(1), 30, 0.95), PolicyAction.BLOCK, Recovery.MANUAL));
        Decision sequence = evaluate(policy("default", Map.of(LimitKind.EXTERNALITY_RATE, 0.05),
                new DecisionRule(Duration.ofHours(1), 30, 0.95, RateInterval.CONFIDENCE_SEQUENCE), PolicyAction.BLOCK,
                Recovery.MANUAL));

        assertThat(interval).isInstanceOf(Decision.Exceeded.class);
        assertThat(sequence).isInstanceOf(Decision.Warn.class);
        assertThat(sequence.evaluations().get(0).estimate().interval().lower()).isBetween(0.0, 0.05);
    }

    @Test
    void theConfidenceSequence_exceedsOnceTheEvidenceIsOverwhelming() {
        stream.refusedByUnsteered(100, 25);

        Decision d = evaluate(policy("default", Map.of(LimitKind.EXTERNALITY_RATE, 0.05),
                new DecisionRule(Duration.ofHours(1), 30, 0.95, RateInterval.CONFIDENCE_SEQUENCE), PolicyAction.BLOCK,
                Recovery.MANUAL));

        assertThat(d).isInstanceOf(Decision.Exceeded.class);
    }
}
