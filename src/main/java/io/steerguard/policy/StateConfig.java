package io.steerguard.policy;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where profile states and the audit log live ({@code steerguard.state.*}). The default,
 * {@code local}, is the fsynced file in {@code steerguard.policy.data-dir}; {@code redis} shares
 * them between replicas through the Quarkus Redis client ({@code quarkus.redis.hosts}).
 */
@ConfigMapping(prefix = "steerguard.state")
public interface StateConfig {

    /** Where states are kept. */
    enum Backend {
        /** One process, the file {@code profile-state.jsonl}. */
        LOCAL,
        /** Every replica, through Redis: {@code PREFIX:state} hash, {@code PREFIX:audit} stream, pub/sub. */
        REDIS
    }

    /** {@code local} (default) or {@code redis}. Env {@code STEERGUARD_STATE_BACKEND}. */
    @WithDefault("local")
    Backend backend();

    /**
     * With {@code local}: profiles to start BLOCKED when the state file holds a damaged record (other
     * than a torn last line). Without it such a file stops start-up with its file and line. Name every
     * profile the error message lists; they start BLOCKED with manual recovery, the damaged log is kept
     * as an archive, and the audit log says why. Ignored when the files are intact.
     */
    java.util.Optional<java.util.Set<String>> recoverBlocked();

    /**
     * With {@code local}: transitions in {@code profile-state.jsonl} after which it is compacted into
     * {@code profile-state.snapshot} (the old log is kept as an archive), bounding start-up time.
     */
    @WithDefault("1000")
    int compactAfter();

    /** Key prefix of one deployment's keys and channel in Redis (replicas that share states share it). */
    @WithDefault("steerguard")
    String redisKeyPrefix();

    /** Bound on every Redis round trip; a write that takes longer fails and does not take effect. */
    @WithDefault("2s")
    Duration redisTimeout();

    /** How often to try again while Redis is unreachable (then resubscribe and reload every state). */
    @WithDefault("1s")
    Duration redisReconnectInterval();

    /**
     * With {@code redis}, how long a replica reuses a read of the shared statistics windows (the
     * gauges and the evaluation loop read them often); zero reads Redis every time.
     */
    @WithDefault("1s")
    Duration redisStatisticsCache();

    /**
     * With {@code redis}, the most entries the audit stream keeps (oldest trimmed first, exactly).
     * Only history is trimmed: current states and blocked identities live in hashes that never are.
     */
    @WithDefault("100000")
    long redisAuditMaxLength();

    /**
     * Whether the {@code redis-state} readiness check goes DOWN while this replica does not know the
     * profile states (it started while Redis was unreachable and has not read them yet; steering
     * fails closed meanwhile). A replica that has read them stays ready through a later outage on its
     * last known states. Set false to keep even such replicas in the load balancer (serving unsteered)
     * and rely on the {@code steerguard_state_backend_up} gauge.
     */
    @WithDefault("true")
    boolean readinessFollowsBackend();
}
