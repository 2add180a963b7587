package io.steerguard.policy;

import static io.steerguard.policy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStateMachineTest {

    @TempDir
    Path dir;

    private final TestPolicies.Stream stream = new TestPolicies.Stream();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return stream.instant();
        }
    };
    private StateStore store;
    private ProfileStateMachine machine;
    private List<GuardrailPolicy> policies =
            List.of(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.BLOCK));

    @BeforeEach
    void open() throws IOException {
        store = StateStore.open(dir);
        machine = new ProfileStateMachine(store, clock);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private Optional<Transition> evaluate() {
        return machine.apply("p", PolicyEngine.evaluate(policies, machine.judgedOn("p", stream.stats)));
    }

    private ProfileState state() {
        return machine.status("p").orElseThrow().state();
    }

    private void restart() throws IOException {
        store.close();
        store = StateStore.open(dir);
        machine = new ProfileStateMachine(store, clock);
    }

    @Test
    void newProfile_startsInProbation_andLeavesItAfterMinSamplesWithoutExceeded() {
        assertThat(machine.register("p", "v1")).hasValueSatisfying(t -> assertThat(t.from()).isNull());
        assertThat(state()).isEqualTo(ProfileState.PROBATION);

        stream.refusedByUnsteered(29, 0);
        assertThat(evaluate()).isEmpty();
        assertThat(state()).isEqualTo(ProfileState.PROBATION);

        stream.refusedByUnsteered(1, 0);
        assertThat(evaluate()).hasValueSatisfying(t -> assertThat(t.to()).isEqualTo(ProfileState.ACTIVE));
        assertThat(machine.register("p", "v1")).as("same version: nothing to do").isEmpty();
    }

    @Test
    void probation_endsInABlock_whenALimitIsExceeded() {
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 10);

        Transition t = evaluate().orElseThrow();

        assertThat(t.to()).isEqualTo(ProfileState.BLOCKED);
        assertThat(t.policy()).isEqualTo("default");
        assertThat(t.actor()).isEqualTo(ProfileStateMachine.ENGINE);
        assertThat(t.reason()).contains("externality rate 0.333");
        assertThat(t.numbers()).singleElement().satisfies(m -> {
            assertThat(m.limit()).isEqualTo("maxExternalityRate");
            assertThat(m.samples()).isEqualTo(30);
            assertThat(m.outcome()).isEqualTo(LimitOutcome.EXCEEDED);
        });
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
    }

    @Test
    void active_warns_recovers_andIsBlocked_onLaterDecisions() {
        machine.register("p", "v1");
        stream.refusedByUnsteered(60, 0);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.ACTIVE);

        stream.advance(Duration.ofMinutes(61)).refusedByUnsteered(30, 3); // 0.10: warn
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.WARN);
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Steer());

        stream.refusedByUnsteered(100, 0); // 3/130: healthy again
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.ACTIVE);

        stream.refusedByUnsteered(100, 40);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.transitionCounts()).containsEntry("ACTIVE->WARN", 1L).containsEntry("WARN->ACTIVE", 1L)
                .containsEntry("ACTIVE->BLOCKED", 1L).containsEntry("new->PROBATION", 1L);
        assertThat(machine.decisionCounts()).containsEntry("block", 1L).containsEntry("warn", 1L);
    }

    @Test
    void alertAction_movesToWarn_andKeepsSteering() {
        policies = List.of(policy("watch", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.ALERT));
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);

        evaluate();

        assertThat(state()).isEqualTo(ProfileState.WARN);
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Steer());
        assertThat(evaluate()).as("a second alert is no new transition").isEmpty();
    }

    @Test
    void fallbackAction_servesUnsteered_whileBlocked() {
        policies = List.of(policy("soft", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.FALLBACK_UNSTEERED));
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);

        evaluate();

        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.FallbackUnsteered());
    }

    @Test
    void blockedProfile_ignoresGoodNumbers_andStaysBlocked_withManualRecovery() {
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);
        evaluate();

        stream.advance(Duration.ofDays(2)).refusedByUnsteered(500, 0);
        assertThat(evaluate()).isEmpty();
        assertThat(machine.recoverDue()).isEmpty();
        assertThat(state()).isEqualTo(ProfileState.BLOCKED);

        Transition t = machine.unblock("p", "alice", "vector rebuilt with STEER-BIND").orElseThrow();
        assertThat(t.to()).isEqualTo(ProfileState.PROBATION);
        assertThat(t.actor()).isEqualTo("alice");
        assertThat(machine.unblock("p", "alice", "again")).isEmpty();
    }

    @Test
    void autoRecovery_waitsForTheCooldown_thenProbation_judgedOnlyOnNewSamples() {
        policies = List.of(policy("auto", Map.of(LimitKind.EXTERNALITY_RATE, 0.05), DecisionRule.DEFAULT,
                PolicyAction.BLOCK, Recovery.auto(Duration.ofMinutes(20))));
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);
        evaluate();

        stream.advance(Duration.ofMinutes(19));
        assertThat(machine.recoverDue()).isEmpty();
        stream.advance(Duration.ofMinutes(1));
        assertThat(machine.recoverDue()).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(ProfileState.PROBATION);
            assertThat(t.actor()).isEqualTo(ProfileStateMachine.RECOVERY);
        });

        // the bad samples of 20 minutes ago are still in the 1 h window, but probation ignores them
        stream.advance(Duration.ofMinutes(1)).refusedByUnsteered(30, 0);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.ACTIVE);
    }

    @Test
    void changedProfile_restartsProbation_andABlockStaysWithTheIdentityItWasFor() throws IOException {
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 0);
        evaluate();
        assertThat(machine.register("p", "v2")).hasValueSatisfying(t -> assertThat(t.to()).isEqualTo(ProfileState.PROBATION));

        stream.refusedByUnsteered(30, 30);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.register("p", "v3")).hasValueSatisfying(t -> {
            assertThat(t.to()).isEqualTo(ProfileState.PROBATION);
            assertThat(t.reason()).contains("identity v3 replaces blocked identity v2");
        });

        restart();
        assertThat(machine.register("p", "v2")).as("the blocked identity comes back blocked, after a restart too")
                .hasValueSatisfying(t -> {
                    assertThat(t.to()).isEqualTo(ProfileState.BLOCKED);
                    assertThat(t.policy()).isEqualTo("default");
                    assertThat(t.reason()).contains("identity v2 is back and was BLOCKED since");
                });
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
    }

    @Test
    void removedBlockedProfile_comesBackBlocked_withAnAuditEntrySayingWhy() {
        machine.register("p", "v1");
        machine.register("q", "v1");
        machine.block("p", PolicyAction.BLOCK, "bob", "incident 42");

        machine.retain(java.util.Set.of("q"));
        assertThat(machine.isTombstone("p")).isTrue();
        Optional<Transition> back = machine.register("p", "v1");

        assertThat(state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
        assertThat(back).hasValueSatisfying(t -> {
            assertThat(t.from()).isEqualTo(ProfileState.BLOCKED);
            assertThat(t.reason()).contains("back in the configuration with identity v1").contains("BLOCKED since");
        });
        assertThat(machine.register("p", "v1")).as("configured again: nothing more to say").isEmpty();
    }

    @Test
    void blockedVectors_reAddedUnderAnotherProfileName_startBlocked_andTheAuditEntryNamesTheOriginal() {
        machine.register("p", "v1");
        machine.block("p", PolicyAction.BLOCK, "bob", "incident 42");
        machine.retain(java.util.Set.of());

        Optional<Transition> renamed = machine.register("p-renamed", "v1");

        assertThat(machine.serve("p-renamed")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
        assertThat(renamed).hasValueSatisfying(t -> {
            assertThat(t.to()).isEqualTo(ProfileState.BLOCKED);
            assertThat(t.reason()).contains("identity v1 is back").contains("as profile 'p'");
        });
    }

    @Test
    void aProfileChangedToBlockedVectorsOfAnotherProfile_isBlocked_andUnblockingItLeavesTheOriginalBlocked() {
        machine.register("p", "v1");
        machine.register("q", "v2");
        machine.block("p", PolicyAction.FALLBACK_UNSTEERED, "bob", "incident 43");

        assertThat(machine.register("q", "v1")).hasValueSatisfying(t -> assertThat(t.to()).isEqualTo(ProfileState.BLOCKED));
        machine.unblock("q", "alice", "reviewed the copy");

        assertThat(machine.status("q").orElseThrow().state()).isEqualTo(ProfileState.PROBATION);
        assertThat(machine.status("p").orElseThrow().state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.register("q", "v1")).as("an operator lifted q's block: a reload does not re-impose it")
                .isEmpty();
    }

    @Test
    void removedWarnProfile_comesBackWithItsState_whenItsIdentityIsTheSame() {
        policies = List.of(policy("default", LimitKind.EXTERNALITY_RATE, 0.05, PolicyAction.ALERT));
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.WARN);

        machine.retain(java.util.Set.of());
        assertThat(machine.register("p", "v1")).isEmpty();

        assertThat(state()).isEqualTo(ProfileState.WARN);
    }

    @Test
    void blockedProfile_isStillBlocked_afterARestart() throws IOException {
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);
        evaluate();

        restart();

        assertThat(state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
        assertThat(machine.register("p", "v1")).isEmpty();
        assertThat(store.readAudit(10, Optional.of("p"))).extracting(Transition::to)
                .containsExactly(ProfileState.PROBATION, ProfileState.BLOCKED);
    }

    @Test
    void manualBlock_appliesWithItsActorAndReason_andSurvivesARestart() throws IOException {
        machine.register("p", "v1");

        machine.block("p", PolicyAction.FALLBACK_UNSTEERED, "bob", "incident 42");
        restart();

        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.FallbackUnsteered());
        assertThat(store.readAudit(1, Optional.empty())).singleElement().satisfies(t -> {
            assertThat(t.actor()).isEqualTo("bob");
            assertThat(t.reason()).isEqualTo("incident 42");
        });
        assertThatThrownBy(() -> machine.block("p", PolicyAction.ALERT, "bob", "x"))
                .hasMessageContaining("block or fallback-unsteered");
    }

    @Test
    void transitionThatCannotBePersisted_doesNotTakeEffect() throws IOException {
        machine.register("p", "v1");
        store.close();

        assertThatThrownBy(() -> machine.block("p", PolicyAction.BLOCK, "bob", "x"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(state()).isEqualTo(ProfileState.PROBATION);
        store = StateStore.open(dir);
    }

    @Test
    void anUnblockDuringAnEvaluation_isNotUndoneByADecisionMadeOnTheBlockedWindow() throws Exception {
        machine.register("p", "v1");
        stream.refusedByUnsteered(30, 15);
        evaluate();
        assertThat(state()).isEqualTo(ProfileState.BLOCKED);

        Thread operator = new Thread(() -> machine.unblock("p", "bob", "vector re-derived"));
        machine.judge("p", stream.stats, judged -> {
            operator.start(); // the unblock arrives while the engine decides on the BLOCKED profile's full window
            try {
                operator.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PolicyEngine.evaluate(policies, judged);
        });
        operator.join();

        assertThat(state()).as("the decision was made for BLOCKED and dropped; the unblock then applied")
                .isEqualTo(ProfileState.PROBATION);
    }

    @Test
    void unknownProfile_isSteered_andItsDecisionsIgnored() {
        assertThat(machine.serve("nobody")).isEqualTo(new ServingDecision.Steer());
        assertThat(machine.apply("nobody", new Decision.Healthy(List.of(), true))).isEmpty();
    }
}
