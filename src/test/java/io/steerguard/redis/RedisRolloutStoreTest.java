package io.steerguard.redis;

import static io.steerguard.policy.RolloutStoreTest.KEY;
import static io.steerguard.policy.RolloutStoreTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.policy.RolloutPhase;
import io.steerguard.policy.RolloutRecord;
import io.steerguard.policy.RolloutStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Rollout decisions shared through a real {@code redis-server}: every replica reads them, a replica
 * that has not seen the newest decision cannot write over it, and they survive a Redis restart (AOF).
 */
class RedisRolloutStoreTest {

    @TempDir
    Path dir;

    @Test
    void redisStore_sharesDecisions_refusesAStaleReplica_andKeepsThemAcrossARedisRestart() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start(dir)) {
            Vertx vertx = Vertx.vertx();
            try {
                RedisRolloutStore first = RedisRolloutStore.open(client(vertx, server), "sg", Duration.ofSeconds(2), 1000);
                RedisRolloutStore second = RedisRolloutStore.open(client(vertx, server), "sg", Duration.ofSeconds(2), 1000);
                assertThat(first.known()).isTrue();

                first.append(record(1, RolloutPhase.RUNNING, RolloutPhase.ROLLED_BACK, RolloutRecord.GATE));
                // the second replica has not re-read yet: its promotion must not land over the rollback
                assertThatThrownBy(() -> second.append(record(1, RolloutPhase.RUNNING, RolloutPhase.PROMOTED,
                        RolloutRecord.GATE))).isInstanceOf(RolloutStore.StaleRolloutException.class);
                assertThat(second.latest().get(KEY).to()).as("the refused replica re-read the store")
                        .isEqualTo(RolloutPhase.ROLLED_BACK);

                server.close();
                server.startAgain();
                RedisRolloutStore restarted = RedisRolloutStore.open(client(vertx, server), "sg", Duration.ofSeconds(2),
                        1000);
                assertThat(restarted.latest().get(KEY)).isEqualTo(record(1, RolloutPhase.RUNNING,
                        RolloutPhase.ROLLED_BACK, RolloutRecord.GATE));
                assertThat(restarted.history(10)).extracting(RolloutRecord::to).containsExactly(RolloutPhase.ROLLED_BACK);
            } finally {
                vertx.closeAndAwait();
            }
        }
    }

    private static Redis client(Vertx vertx, RedisServerProcess server) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
    }
}
