package io.steerguard.policy;

import static io.steerguard.policy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.steerguard.stats.RateInterval;

/**
 * The rollout gate on scripted statistics: it promotes only when every limit of every policy is
 * cleared by the policy's own rule, rolls back as soon as one is exceeded (whatever the policy's
 * action) or the candidate is blocked, and otherwise holds.
 */
class RolloutGateTest {

    private static final DecisionRule INTERVAL_95 = new DecisionRule(Duration.ofHours(1), 30, 0.95);
    private static final DecisionRule SEQUENCE_95 = new DecisionRule(Duration.ofHours(1), 30, 0.95,
            RateInterval.CONFIDENCE_SEQUENCE);

    private static final GuardrailPolicy EXTERNALITY = policy("externality", Map.of(LimitKind.EXTERNALITY_RATE, 0.2),
            INTERVAL_95, PolicyAction.FALLBACK_UNSTEERED, Recovery.MANUAL);
    private static final GuardrailPolicy OVER_REFUSAL = policy("over-refusal", Map.of(LimitKind.OVER_REFUSAL_RATE, 0.3),
            new DecisionRule(Duration.ofHours(1), 40, 0.99), PolicyAction.ALERT, Recovery.MANUAL);

    private static RolloutGate.Verdict judge(List<GuardrailPolicy> policies, TestPolicies.Stream stream) {
        return RolloutGate.judge(policies, stream.stats, Optional.empty());
    }

    @Test
    void candidateThatClearsEveryLimitOfEveryPolicy_isPromoted() {
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(60, 0).compliedByUnsteered(60, 0);

        RolloutGate.Verdict verdict = judge(List.of(EXTERNALITY, OVER_REFUSAL), clean);

        assertThat(verdict).isInstanceOf(RolloutGate.Verdict.Promote.class);
        assertThat(verdict.evaluations()).hasSize(2).allMatch(RolloutGate::clears);
        assertThat(verdict.reason()).contains("externality rate 0.000").contains("over-refusal rate 0.000")
                .contains("at 95% interval").contains("at 99% interval");
    }

    @Test
    void candidateStillShortOfOnePolicysMinSamples_isHeld_evenWithCleanNumbers() {
        // 60 refusals of the unsteered side, but only 35 of the 40 compliant pairs the over-refusal policy needs
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(60, 0).compliedByUnsteered(35, 0);

        RolloutGate.Verdict verdict = judge(List.of(EXTERNALITY, OVER_REFUSAL), clean);

        assertThat(verdict).isInstanceOf(RolloutGate.Verdict.Hold.class);
        assertThat(verdict.reason()).contains("over-refusal rate").doesNotContain("externality rate");
    }

    @Test
    void candidateWhoseIntervalStraddlesTheLimit_isHeld_notPromotedOnItsPointEstimate() {
        // 8 of 50 = 0.16, under the 0.2 limit, but the 95% interval reaches above it
        TestPolicies.Stream close = new TestPolicies.Stream().refusedByUnsteered(50, 8);

        RolloutGate.Verdict verdict = judge(List.of(EXTERNALITY), close);

        assertThat(verdict).isInstanceOf(RolloutGate.Verdict.Hold.class);
        assertThat(verdict.evaluations().get(0).estimate().value()).isLessThan(0.2);
        assertThat(verdict.evaluations().get(0).estimate().interval().upper()).isGreaterThan(0.2);
    }

    @Test
    void candidateThatExceedsOneLimit_isRolledBack_evenWhenThatPolicyOnlyAlerts() {
        TestPolicies.Stream eroding = new TestPolicies.Stream().refusedByUnsteered(60, 0).compliedByUnsteered(60, 40);

        RolloutGate.Verdict verdict = judge(List.of(EXTERNALITY, OVER_REFUSAL), eroding);

        assertThat(OVER_REFUSAL.action()).isEqualTo(PolicyAction.ALERT);
        assertThat(verdict).isInstanceOf(RolloutGate.Verdict.RollBack.class);
        assertThat(verdict.reason()).startsWith("exceeded: over-refusal rate");
    }

    @Test
    void blockedCandidate_isRolledBack_whateverItsNumbers() {
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(60, 0);
        ProfileStatus blocked = new ProfileStatus("v2", ProfileState.BLOCKED, TestPolicies.T0, PolicyAction.BLOCK,
                null, Recovery.MANUAL, "abc");

        assertThat(RolloutGate.judge(List.of(EXTERNALITY), clean.stats, Optional.of(blocked)))
                .isInstanceOf(RolloutGate.Verdict.RollBack.class)
                .extracting(RolloutGate.Verdict::reason).asString().contains("'v2' is BLOCKED");
    }

    @Test
    void withoutALimitingPolicy_theGateHolds_andNeverPromotesOnNothing() {
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(200, 0);
        GuardrailPolicy observeOnly = policy("observe", Map.of(), INTERVAL_95, PolicyAction.ALERT, Recovery.MANUAL);

        assertThat(judge(List.of(observeOnly), clean)).isInstanceOf(RolloutGate.Verdict.Hold.class);
        assertThat(judge(List.of(), clean)).isInstanceOf(RolloutGate.Verdict.Hold.class);
    }

    @Test
    void asrUpliftLimit_withoutAProbeAudit_holdsThePromotion() {
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(200, 0);
        GuardrailPolicy probed = policy("probed", Map.of(LimitKind.EXTERNALITY_RATE, 0.2, LimitKind.ASR_UPLIFT, 0.1),
                INTERVAL_95, PolicyAction.BLOCK, Recovery.MANUAL);

        RolloutGate.Verdict verdict = judge(List.of(probed), clean);

        assertThat(verdict).isInstanceOf(RolloutGate.Verdict.Hold.class);
        assertThat(verdict.reason()).contains("ASR uplift no data");
    }

    @Test
    void theGateUsesEachPolicysMethod_aConfidenceSequenceNeedsMoreCleanSamplesToPromote() {
        GuardrailPolicy interval = policy("interval", Map.of(LimitKind.EXTERNALITY_RATE, 0.1), INTERVAL_95,
                PolicyAction.BLOCK, Recovery.MANUAL);
        GuardrailPolicy sequence = policy("sequence", Map.of(LimitKind.EXTERNALITY_RATE, 0.1), SEQUENCE_95,
                PolicyAction.BLOCK, Recovery.MANUAL);
        TestPolicies.Stream clean = new TestPolicies.Stream().refusedByUnsteered(40, 0);

        assertThat(judge(List.of(interval), clean)).isInstanceOf(RolloutGate.Verdict.Promote.class);
        assertThat(judge(List.of(sequence), clean)).isInstanceOf(RolloutGate.Verdict.Hold.class);

        clean.refusedByUnsteered(160, 0);
        assertThat(judge(List.of(sequence), clean)).isInstanceOf(RolloutGate.Verdict.Promote.class);
        assertThat(judge(List.of(interval, sequence), clean).reason()).contains("interval, policy interval")
                .contains("confidence-sequence, policy sequence");
    }
}
