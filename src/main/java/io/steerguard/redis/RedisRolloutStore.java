package io.steerguard.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.steerguard.policy.RolloutJson;
import io.steerguard.policy.RolloutKey;
import io.steerguard.policy.RolloutRecord;
import io.steerguard.policy.RolloutStore;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Rollout decisions shared by every replica through Redis, under the state store's key prefix
 * {@code P}: {@code P:rollouts}, a hash {@code tenant/profile} → the newest record (never trimmed),
 * and {@code P:rollout-audit}, a stream of every record (the audit log, capped like the state
 * store's). One Lua script writes both, and refuses (STALE) a record whose version is not the
 * stored one plus one: a replica that has not seen another's rollback cannot promote over it. The
 * refused replica re-reads the hash. Other replicas read the hash at every evaluation, so a decision
 * reaches them within one evaluation interval. Durability across a Redis restart needs its AOF, as
 * for the profile states.
 */
public final class RedisRolloutStore implements RolloutStore {

    private static final Logger LOG = Logger.getLogger(RedisRolloutStore.class);

    /** KEYS: hash, stream. ARGV: field, record JSON, its version, the stream's length cap. */
    private static final String APPEND_SCRIPT = """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            local version = 0
            if current then version = tonumber(cjson.decode(current)['version']) end
            if version + 1 ~= tonumber(ARGV[3]) then
              return redis.error_reply('STALE rollout ' .. ARGV[1] .. ' is at version ' .. version)
            end
            redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], '*', 'record', ARGV[2])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return 'OK'
            """;

    private final Redis redis;
    private final String hashKey;
    private final String auditKey;
    private final Duration timeout;
    private final long auditMaxLength;
    private final Map<RolloutKey, RolloutRecord> latest = new ConcurrentHashMap<>();
    private volatile boolean known;

    private RedisRolloutStore(Redis redis, String prefix, Duration timeout, long auditMaxLength) {
        this.redis = redis;
        this.hashKey = prefix + ":rollouts";
        this.auditKey = prefix + ":rollout-audit";
        this.timeout = timeout;
        this.auditMaxLength = auditMaxLength;
    }

    /**
     * Opens the store and reads the hash once. When Redis is unreachable the store starts empty
     * (every rollout RUNNING at its configured share, the state a new rollout has) and reads again
     * at the next {@link #refresh}; a decision cannot be written meanwhile.
     */
    public static RedisRolloutStore open(Redis redis, String prefix, Duration timeout, long auditMaxLength) {
        RedisRolloutStore store = new RedisRolloutStore(redis, prefix, timeout, auditMaxLength);
        try {
            store.refresh();
        } catch (IOException e) {
            LOG.warnf("rollout decisions not read from Redis yet (%s); read again at the next evaluation",
                    e.getMessage());
        }
        return store;
    }

    @Override
    public Map<RolloutKey, RolloutRecord> latest() {
        return Map.copyOf(latest);
    }

    @Override
    public void refresh() throws IOException {
        Response all = send(Request.cmd(Command.HGETALL).arg(hashKey));
        for (String field : all.getKeys()) {
            try {
                RolloutRecord r = RolloutJson.read(all.get(field).toString());
                latest.merge(r.key(), r, (old, now) -> now.version() >= old.version() ? now : old);
            } catch (IllegalArgumentException e) {
                // fail closed for this rollout only: it keeps the last record this replica read
                LOG.errorf("rollout %s: the shared record is unreadable (%s); keeping the last one read", field,
                        e.getMessage());
            }
        }
        known = true;
    }

    @Override
    public boolean known() {
        return known;
    }

    @Override
    public void append(RolloutRecord record) throws IOException {
        String json = RolloutJson.write(record);
        try {
            send(Request.cmd(Command.EVAL).arg(APPEND_SCRIPT).arg(2).arg(hashKey).arg(auditKey)
                    .arg(record.key().id()).arg(json).arg(record.version()).arg(auditMaxLength));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("STALE")) {
                try {
                    refresh();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw new RolloutStore.StaleRolloutException(e.getMessage());
            }
            throw e;
        }
        latest.merge(record.key(), record, (old, now) -> now.version() >= old.version() ? now : old);
    }

    @Override
    public List<RolloutRecord> history(int limit) throws IOException {
        Response page = send(Request.cmd(Command.XREVRANGE).arg(auditKey).arg("+").arg("-").arg("COUNT").arg(limit));
        List<RolloutRecord> newestFirst = new ArrayList<>();
        if (page == null) {
            return newestFirst;
        }
        for (Response entry : page) {
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("record".equals(fields.get(i).toString())) {
                    try {
                        newestFirst.add(RolloutJson.read(fields.get(i + 1).toString()));
                    } catch (IllegalArgumentException e) {
                        LOG.warnf("rollout audit entry %s skipped: %s", entry.get(0), e.getMessage());
                    }
                }
            }
        }
        return newestFirst;
    }

    private Response send(Request request) throws IOException {
        try {
            return redis.send(request).await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new IOException("Redis rollout store: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the Redis client belongs to the application
    }
}
