package io.steerguard.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.steerguard.policy.FileRolloutStore;
import io.steerguard.policy.PolicyConfig;
import io.steerguard.policy.RolloutStore;
import io.steerguard.redis.RedisRolloutStore;
import io.steerguard.redis.RedisStateStore;
import io.steerguard.policy.StateConfig;
import io.steerguard.policy.StateStore;
import io.steerguard.policy.TransitionLog;
import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.redis.RedisWindowStore;
import io.steerguard.shadow.SafetyStatistics;
import io.steerguard.telemetry.StateBackendMetrics;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

/**
 * Where profile states and paired statistics live, per {@code steerguard.state.backend}: the local
 * state file and this replica's own windows, or Redis for both, shared by every replica. The one
 * place that knows which backend is configured; the governor sees a {@link TransitionLog} and a
 * {@link SafetyStatistics} either way.
 */
@ApplicationScoped
public class StateBackends {

    private static final Logger LOG = Logger.getLogger(StateBackends.class);

    private final PolicyConfig policy;
    private final StateConfig state;
    private final Instance<Redis> redis;
    private final StateBackendMetrics metrics;
    private final SafetyStatistics statistics;
    /** Opened once by {@link #log()}; read without the lock. */
    private volatile TransitionLog log;
    /** Opened once by {@link #rolloutStore()}. */
    private RolloutStore rollouts;

    public StateBackends(PolicyConfig policy, StateConfig state, Instance<Redis> redis, StateBackendMetrics metrics) {
        this.policy = policy;
        this.state = state;
        this.redis = redis;
        this.metrics = metrics;
        this.statistics = openStatistics();
    }

    /** The paired statistics: this replica's windows, or Redis counters every replica records into and reads. */
    public SafetyStatistics statistics() {
        return statistics;
    }

    /**
     * The transition log, opened on first use: the state file (fsynced, compacted, with the
     * configured blocked profiles recovered) or the Redis state store.
     *
     * @throws UncheckedIOException when the state file cannot be opened
     */
    public TransitionLog log() {
        TransitionLog l = log;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (log == null) {
                log = openLog();
                TransitionLog opened = log;
                metrics.bindBackendUp(state.backend().name().toLowerCase(Locale.ROOT), opened::available);
            }
            return log;
        }
    }

    /**
     * The rollout decisions, opened on first use: {@code rollout-state.jsonl} beside the state file,
     * or the Redis hash and stream beside the shared states.
     *
     * @throws UncheckedIOException when the file cannot be opened or holds a damaged record
     */
    public synchronized RolloutStore rolloutStore() {
        if (rollouts == null) {
            if (state.backend() == StateConfig.Backend.REDIS) {
                rollouts = RedisRolloutStore.open(redis.get(), state.redisKeyPrefix(), state.redisTimeout(),
                        state.redisAuditMaxLength());
            } else {
                try {
                    rollouts = FileRolloutStore.open(policy.dataDir());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the rollout decisions in " + policy.dataDir() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return rollouts;
    }

    /** Stops the Redis store's reconnects and subscription, after the policy loop has stopped. */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        if (log instanceof RedisStateStore redisStore) {
            redisStore.close();
        }
    }

    private SafetyStatistics openStatistics() {
        if (state.backend() != StateConfig.Backend.REDIS) {
            return new SafetyStatistics();
        }
        // The retry pause after a failed read follows the state store's reconnect interval.
        RedisWindowStore shared = new RedisWindowStore(redis.get(), state.redisKeyPrefix(), state.redisTimeout(),
                state.redisStatisticsCache(), state.redisReconnectInterval(), System::currentTimeMillis);
        metrics.bindSharedFailures(shared::failures);
        return new SafetyStatistics(System::currentTimeMillis, ProfileStatistics.DEFAULT_WINDOWS,
                ProfileStatistics.DEFAULT_BUCKETS, shared);
    }

    private TransitionLog openLog() {
        if (state.backend() == StateConfig.Backend.REDIS) {
            return RedisStateStore.open(redis.get(), state.redisKeyPrefix(), state.redisTimeout(),
                    state.redisReconnectInterval(), state.redisAuditMaxLength());
        }
        StateStore file;
        try {
            file = StateStore.open(policy.dataDir(), new StateStore.Options(state.compactAfter(),
                    state.recoverBlocked().orElse(Set.of()), StateStore.Durability.FSYNC));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the profile state in " + policy.dataDir() + ": "
                    + e.getMessage(), e);
        }
        file.recovered().problems().forEach(p -> LOG.warnf("profile-state file %s: %s",
                policy.dataDir().resolve(StateStore.FILE_NAME), p));
        return file;
    }
}
