package io.steerguard.redis;

import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.ProfileState;
import io.steerguard.policy.ProfileStateMachine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * What production Redis needs from the store: an audit stream that cannot grow without end, and a
 * replica that knows whether it has ever read the deployment's states (it must not steer before).
 */
class RedisStateStoreProductionTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;
    private RedisServerProcess server;
    private Vertx vertx;
    private RedisStateStore store;

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (store != null) {
            store.close();
        }
        vertx.closeAndAwait();
        server.close();
    }

    private RedisStateStore open(long auditMaxLength) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
        store = RedisStateStore.open(client, "steerguard", TIMEOUT, Duration.ofMillis(200), auditMaxLength);
        return store;
    }

    @Test
    void auditStream_isCappedAtItsLength_whileTheStatesAndBlocksItRecordedStay() throws Exception {
        ProfileStateMachine m = new ProfileStateMachine(open(3), Clock.systemUTC());
        m.register("p", "v1");
        for (int i = 0; i < 4; i++) {
            m.block("p", PolicyAction.BLOCK, "operator", "incident " + i);
            m.unblock("p", "operator", "fixed " + i);
        }
        m.block("p", PolicyAction.BLOCK, "operator", "the last word");

        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
        long length = client.send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.XLEN)
                .arg("steerguard:audit")).await().atMost(Duration.ofSeconds(2)).toLong();
        assertThat(length).as("10 transitions written, 3 kept").isEqualTo(3);
        assertThat(store.readAudit(10, Optional.empty())).hasSize(3).last()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("the last word"));

        ProfileStateMachine late = new ProfileStateMachine(open(3), Clock.systemUTC());
        assertThat(late.status("p")).as("the state hash is never trimmed")
                .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ProfileState.BLOCKED));
    }

    @Test
    void aReplicaStartedWhileRedisIsDown_doesNotKnowTheStates_untilItHasReadThem_andKeepsKnowingThroughAnOutage()
            throws Exception {
        server.kill();
        RedisStateStore s = open(100);
        assertThat(s.available()).isFalse();
        assertThat(s.statesKnown()).as("never read: any profile might be BLOCKED").isFalse();

        server.startAgain();
        await().atMost(Duration.ofSeconds(5)).until(s::statesKnown);
        assertThat(s.available()).isTrue();

        server.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> !s.available());
        assertThat(s.statesKnown()).as("no transition can be written while Redis is down: the states read still hold")
                .isTrue();
    }
}
