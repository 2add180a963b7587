package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServingDecisionTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "PROBATION, BLOCK, Steer", "ACTIVE, BLOCK, Steer", "WARN, BLOCK, Steer",
            "ACTIVE, FALLBACK_UNSTEERED, Steer", "WARN, ALERT, Steer",
            "BLOCKED, BLOCK, Reject", "BLOCKED, FALLBACK_UNSTEERED, FallbackUnsteered",
            // never steer a blocked profile, whatever the action says
            "BLOCKED, ALERT, FallbackUnsteered"})
    void servingRule_isAPureFunctionOfStateAndAction(ProfileState state, PolicyAction action, String expected) {
        ServingDecision d = ServingDecision.serve(state, action);

        assertThat(d.getClass().getSimpleName()).isEqualTo(expected);
        if (d instanceof ServingDecision.Reject r) {
            assertThat(r.code()).isEqualTo("steering_profile_blocked");
        }
    }

    @Test
    void blockOfATenantScopedPolicy_appliesOnlyToItsTenants() {
        GuardrailPolicy scoped = new GuardrailPolicy("acme-only", Selector.of(List.of("*"), List.of("acme"), Map.of()),
                ShadowSettings.DEFAULT, Optional.empty(), new Limits(Map.of(LimitKind.EXTERNALITY_RATE, 0.05)),
                DecisionRule.DEFAULT, PolicyAction.BLOCK, Recovery.MANUAL);
        PolicySet set = new PolicySet(List.of(scoped));
        ProfileStatus blocked = new ProfileStatus("p", ProfileState.BLOCKED, Instant.EPOCH, PolicyAction.BLOCK,
                "acme-only", Recovery.MANUAL, "v1");
        ProfileStatus manual = new ProfileStatus("p", ProfileState.BLOCKED, Instant.EPOCH, PolicyAction.BLOCK,
                null, Recovery.MANUAL, "v1");

        assertThat(set.serve(blocked, "acme")).isInstanceOf(ServingDecision.Reject.class);
        assertThat(set.serve(blocked, "globex")).isInstanceOf(ServingDecision.Steer.class);
        assertThat(set.serve(manual, "globex")).isInstanceOf(ServingDecision.Reject.class);
        assertThat(set.sampleRate("p", Map.of(), "acme", ProfileState.PROBATION)).isEqualTo(0.5);
        assertThat(set.sampleRate("p", Map.of(), "acme", ProfileState.ACTIVE)).isEqualTo(0.1);
        assertThat(set.sampleRate("p", Map.of(), "globex", ProfileState.ACTIVE)).isZero();
    }

    @Test
    void policySet_matchesByGlobAndLabels() {
        GuardrailPolicy json = new GuardrailPolicy("json", Selector.of(List.of("json-*"), List.of(),
                Map.of("owner", "platform")), ShadowSettings.DEFAULT, Optional.empty(), Limits.NONE,
                DecisionRule.DEFAULT, PolicyAction.ALERT, Recovery.MANUAL);
        GuardrailPolicy all = new GuardrailPolicy("all", Selector.ALL, ShadowSettings.DEFAULT, Optional.empty(),
                Limits.NONE, DecisionRule.DEFAULT, PolicyAction.ALERT, Recovery.MANUAL);
        PolicySet set = new PolicySet(List.of(json, all));

        assertThat(set.matching("json-format", Map.of("owner", "platform"))).extracting(GuardrailPolicy::name)
                .containsExactly("all", "json");
        assertThat(set.matching("json-format", Map.of())).extracting(GuardrailPolicy::name).containsExactly("all");
        assertThat(set.matching("compliance", Map.of("owner", "platform"))).extracting(GuardrailPolicy::name)
                .containsExactly("all");
    }
}
