package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * A shared log echoes every transition back through pub/sub; under load an echo can reach the
 * machine after this replica has appended a newer transition. Seen in a CI run: the echo of an
 * unblock arrived after the next block and put the profile back in PROBATION on this replica while
 * Redis held it BLOCKED. The machine asks the log, under its own lock, whether a delivered
 * transition is still the newest before it applies it.
 */
class LateRemoteTransitionTest {

    /** A shared log whose deliveries this test times: it knows which transitions are superseded. */
    private static final class SharedLog implements TransitionLog {
        final List<Transition> appended = new ArrayList<>();
        Consumer<Transition> listener = t -> { };

        @Override
        public void append(Transition t) {
            appended.add(t);
        }

        @Override
        public List<Transition> readAudit(int limit, Optional<String> profile) {
            return List.copyOf(appended);
        }

        @Override
        public Map<String, ProfileStatus> recoveredStatuses() {
            return Map.of();
        }

        @Override
        public void close() {
        }

        @Override
        public void onRemote(Consumer<Transition> l) {
            listener = l;
        }

        /** Newest means the last appended transition of its profile (as stream ids order them in Redis). */
        @Override
        public boolean stillNewest(Transition t) {
            Transition last = null;
            for (Transition a : appended) {
                if (a.profile().equals(t.profile())) {
                    last = a;
                }
            }
            return last == null || last.equals(t);
        }
    }

    @Test
    void anEchoOfTheUnblock_arrivingAfterTheNextBlock_doesNotUnblockTheProfileHere() {
        SharedLog log = new SharedLog();
        ProfileStateMachine machine = new ProfileStateMachine(log, Clock.systemUTC());
        machine.register("p", "v1");
        machine.block("p", PolicyAction.BLOCK, "operator", "incident");
        Transition unblock = machine.unblock("p", "operator", "fixed").orElseThrow();
        machine.block("p", PolicyAction.BLOCK, "operator", "again");

        log.listener.accept(unblock); // the unblock's echo, delivered late

        assertThat(machine.status("p").orElseThrow().state()).isEqualTo(ProfileState.BLOCKED);
        assertThat(machine.serve("p")).isEqualTo(new ServingDecision.Reject("steering_profile_blocked"));
    }

    @Test
    void aRemoteTransitionThatIsStillTheNewest_isAdopted() {
        SharedLog log = new SharedLog();
        ProfileStateMachine machine = new ProfileStateMachine(log, Clock.systemUTC());
        machine.register("p", "v1");
        ProfileStatus before = machine.status("p").orElseThrow();
        Transition remoteBlock = new Transition(before.since().plusSeconds(1), "p", ProfileState.PROBATION,
                ProfileState.BLOCKED, "operator", "blocked on another replica", null, PolicyAction.BLOCK,
                Recovery.MANUAL, "v1", List.of());
        log.appended.add(remoteBlock); // persisted by the other replica

        log.listener.accept(remoteBlock);

        assertThat(machine.status("p").orElseThrow().state()).isEqualTo(ProfileState.BLOCKED);
    }
}
