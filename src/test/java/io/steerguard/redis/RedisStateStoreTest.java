package io.steerguard.redis;

import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.ProfileState;
import io.steerguard.policy.ProfileStateMachine;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.policy.ServingDecision;
import io.steerguard.policy.Transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Two replicas of the gateway's state, at the level of {@link ProfileStateMachine} +
 * {@link RedisStateStore}: each with its own Redis client and subscription, as two gateway
 * processes would have (a second Quarkus application cannot run in the same JVM), against a real
 * {@code redis-server} started by the test.
 */
class RedisStateStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private RedisServerProcess server;
    private Vertx vertx;
    private final List<RedisStateStore> stores = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        stores.forEach(RedisStateStore::close);
        vertx.closeAndAwait();
        server.close();
    }

    private ProfileStateMachine replica(Duration reconnect) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
        RedisStateStore store = RedisStateStore.open(client, "steerguard", TIMEOUT, reconnect);
        stores.add(store);
        return new ProfileStateMachine(store, Clock.systemUTC());
    }

    private ProfileStateMachine replica() {
        return replica(Duration.ofMillis(200));
    }

    private static Optional<ProfileState> state(ProfileStateMachine m, String profile) {
        return m.status(profile).map(ProfileStatus::state);
    }

    @Test
    void twoReplicas_seeTheSameProfileState_andTheSameAuditLog() throws Exception {
        ProfileStateMachine a = replica();
        ProfileStateMachine b = replica();

        assertThat(a.register("p", "v1")).isPresent();
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "p").isPresent());
        assertThat(b.status("p")).isEqualTo(a.status("p"));
        assertThat(b.register("p", "v1")).as("B already knows p from A").isEmpty();

        ProfileStateMachine late = replica();
        assertThat(late.status("p")).as("a replica starting later loads the state hash").isEqualTo(a.status("p"));
        assertThat(stores.get(1).readAudit(10, Optional.of("p")))
                .singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(ProfileState.PROBATION));
    }

    @Test
    void blockOnOneReplica_isEnforcedByTheOther_withinOneSecond() {
        ProfileStateMachine a = replica();
        ProfileStateMachine b = replica();
        a.register("p", "v1");
        a.register("q", "v1");
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "q").isPresent());
        assertThat(b.serve("p")).isInstanceOf(ServingDecision.Steer.class);

        long start = System.nanoTime();
        a.block("p", PolicyAction.BLOCK, "operator", "incident 42");
        a.block("q", PolicyAction.FALLBACK_UNSTEERED, "operator", "incident 42");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> b.serve("p") instanceof ServingDecision.Reject
                        && b.serve("q") instanceof ServingDecision.FallbackUnsteered);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("propagation time in ms").isLessThan(1000);

        b.unblock("p", "operator", "fixed");
        await().atMost(Duration.ofSeconds(1)).until(() -> state(a, "p").equals(Optional.of(ProfileState.PROBATION)));
    }

    @Test
    void aBlock_survivesARedisCrashAndRestart_withAof() throws Exception {
        ProfileStateMachine a = replica();
        a.register("p", "v1");
        a.block("p", PolicyAction.BLOCK, "operator", "incident 42");

        server.kill();
        server.startAgain();

        ProfileStateMachine fresh = replica();
        assertThat(state(fresh, "p")).contains(ProfileState.BLOCKED);
        assertThat(fresh.serve("p")).isInstanceOf(ServingDecision.Reject.class);
        assertThat(stores.get(1).readAudit(10, Optional.empty())).extracting(Transition::to)
                .containsExactly(ProfileState.PROBATION, ProfileState.BLOCKED);
    }

    @Test
    void redisDown_keepsLastKnownStates_unknownProfilesUnregistered_andTransitionsDoNotTakeEffect() throws Exception {
        ProfileStateMachine a = replica();
        ProfileStateMachine b = replica();
        a.register("p", "v1");
        a.block("p", PolicyAction.BLOCK, "operator", "incident 42");
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "p").equals(Optional.of(ProfileState.BLOCKED)));

        server.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> !stores.get(0).available() && !stores.get(1).available());

        assertThat(b.serve("p")).as("last known state is kept").isInstanceOf(ServingDecision.Reject.class);
        assertThatThrownBy(() -> b.unblock("p", "operator", "while Redis is down"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(state(b, "p")).as("an unpersisted unblock does not take effect").contains(ProfileState.BLOCKED);
        assertThatThrownBy(() -> a.register("new", "v1")).isInstanceOf(UncheckedIOException.class);
        assertThat(a.status("new")).as("a new profile stays unknown, which is served like PROBATION").isEmpty();
        assertThat(a.serve("new")).isInstanceOf(ServingDecision.Steer.class);
    }

    @Test
    void afterRedisIsBack_replicasReconnect_andResyncWhatTheyMissed() throws Exception {
        ProfileStateMachine a = replica(Duration.ofMillis(100));
        ProfileStateMachine b = replica(Duration.ofSeconds(3));
        a.register("p", "v1");
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "p").isPresent());

        server.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> !stores.get(0).available() && !stores.get(1).available());
        server.startAgain();
        await().atMost(Duration.ofSeconds(3)).until(() -> stores.get(0).available());
        assertThat(stores.get(1).available()).as("B reconnects only every 3 s").isFalse();

        // B is not subscribed yet: it can only learn of this block by reloading the state hash.
        a.block("p", PolicyAction.BLOCK, "operator", "while B was away");
        await().atMost(Duration.ofSeconds(5)).until(() -> stores.get(1).available());
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "p").equals(Optional.of(ProfileState.BLOCKED)));

        a.unblock("p", "operator", "after resync, pub/sub works again");
        await().atMost(Duration.ofSeconds(1)).until(() -> state(b, "p").equals(Optional.of(ProfileState.PROBATION)));
    }

    @Test
    void aReplicaThatHasNotSeenABlock_cannotLiftIt_withAStaleTransition() throws Exception {
        ProfileStateMachine a = replica();
        a.register("p", "v1");
        Transition block = a.block("p", PolicyAction.BLOCK, "operator", "incident 42");
        RedisStateStore staleWriter = stores.get(0);

        Transition stale = new Transition(block.time().plusSeconds(1), "p", ProfileState.PROBATION, ProfileState.ACTIVE,
                ProfileStateMachine.ENGINE, "probation passed (decided before the block arrived)", null, null, null,
                "v1", List.of());
        assertThatThrownBy(() -> staleWriter.append(stale)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("BLOCKED");
        assertThat(staleWriter.available()).as("a refused write is not an outage").isTrue();

        ProfileStateMachine fresh = replica();
        assertThat(state(fresh, "p")).contains(ProfileState.BLOCKED);
        assertThat(fresh.unblock("p", "operator", "seen the block")).as("a writer that saw the block may lift it")
                .isPresent();
        assertThat(stores.get(1).readAudit(10, Optional.of("p"))).extracting(Transition::to)
                .containsExactly(ProfileState.PROBATION, ProfileState.BLOCKED, ProfileState.PROBATION);
    }

    @Test
    void removedBlockedProfile_comesBackBlocked_onThisReplica_andOnAReplicaStartedLater() {
        ProfileStateMachine a = replica();
        a.register("p", "v1");
        a.register("q", "v1");
        a.block("p", PolicyAction.BLOCK, "operator", "incident 42");

        a.retain(java.util.Set.of("q")); // reload without p
        assertThat(a.register("p", "v1")).as("reload with p back").hasValueSatisfying(t ->
                assertThat(t.reason()).contains("back in the configuration"));

        assertThat(a.serve("p")).isInstanceOf(ServingDecision.Reject.class);
        ProfileStateMachine late = replica();
        // (a loaded machine may need a reconnect interval to load the hashes)
        await().atMost(Duration.ofSeconds(3)).until(() -> late.serve("p") instanceof ServingDecision.Reject);
    }

    @Test
    void changedIdentity_startsInProbation_andTheBlockedIdentityComesBackBlocked_onAnotherReplica() throws Exception {
        ProfileStateMachine a = replica();
        a.register("p", "v1");
        a.block("p", PolicyAction.FALLBACK_UNSTEERED, "operator", "incident 42");
        assertThat(a.register("p", "v2")).hasValueSatisfying(t -> {
            assertThat(t.to()).isEqualTo(ProfileState.PROBATION);
            assertThat(t.reason()).contains("replaces blocked identity v1");
        });

        ProfileStateMachine b = replica();
        assertThat(state(b, "p")).contains(ProfileState.PROBATION);
        assertThat(b.register("p", "v1")).as("B rolls the vectors back").hasValueSatisfying(t ->
                assertThat(t.to()).isEqualTo(ProfileState.BLOCKED));
        await().atMost(Duration.ofSeconds(1)).until(() -> a.serve("p") instanceof ServingDecision.FallbackUnsteered);
        assertThat(stores.get(1).readAudit(10, Optional.of("p"))).extracting(Transition::to).containsExactly(
                ProfileState.PROBATION, ProfileState.BLOCKED, ProfileState.PROBATION, ProfileState.BLOCKED);
    }

    @Test
    void aWriterThatMissedTheBlockOfAnIdentity_cannotBringItBackUnblocked() throws Exception {
        ProfileStateMachine a = replica();
        a.register("p", "v1");
        a.block("p", PolicyAction.BLOCK, "operator", "incident 42");
        Transition replaced = a.register("p", "v2").orElseThrow();

        Transition stale = new Transition(replaced.time().plusSeconds(1), "p", ProfileState.PROBATION,
                ProfileState.PROBATION, ProfileStateMachine.LIFECYCLE, "profile changed (by a writer that never saw "
                + "v1 blocked)", null, null, null, "v1", List.of());
        assertThatThrownBy(() -> stores.get(0).append(stale)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("identity v1 of profile p is BLOCKED");
        assertThat(stores.get(0).available()).isTrue();
    }
}
