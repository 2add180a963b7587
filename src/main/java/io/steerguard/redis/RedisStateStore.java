package io.steerguard.redis;

import io.steerguard.policy.BlockedIdentities;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.policy.Transition;
import io.steerguard.policy.TransitionJson;
import io.steerguard.policy.TransitionLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Profile states shared by every replica through Redis. Layout, under a key prefix {@code P}
 * (default {@code steerguard}):
 * <ul>
 *   <li>{@code P:audit}: a stream, one entry per transition (fields {@code profile},
 *       {@code transition} = the JSON line of the file store); the audit log. Its entry id orders
 *       all transitions of the deployment.</li>
 *   <li>{@code P:state}: a hash, profile → {@code {"id": <stream id>, "transition": <json>}}, the
 *       last transition of every profile; a starting or reconnecting replica loads it.</li>
 *   <li>{@code P:transitions}: a pub/sub channel carrying the same value as the hash, on which every
 *       replica adopts other replicas' transitions as they happen.</li>
 *   <li>{@code P:blocks}: a hash, {@code profile/identity} → the same value, for every identity whose
 *       block was not lifted ({@link BlockedIdentities}), current or replaced; a starting replica loads
 *       it, so a replaced identity that comes back comes back BLOCKED on every replica. A profile
 *       removed from the configuration keeps its entries in both hashes (its tombstone).</li>
 * </ul>
 * One Lua script writes all of them atomically. It refuses (STALE) a write that would move a
 * BLOCKED profile or a blocked identity out of BLOCKED from a writer that did not see the block; the
 * refused replica then reloads both hashes, so its next attempt starts from the block. Being one script, the order of
 * publications is the order of the stream; {@link #append} returns only after Redis has replied (and, with {@code appendfsync
 * always}, after Redis has fsynced its AOF). Each replica forwards a transition to its listener only
 * if its stream id is newer than the last one it saw for that profile, so a resync racing with a
 * publication can never move a profile back to an older state.
 *
 * <p>Durability across a Redis restart needs its append-only file: {@code appendonly yes} with
 * {@code appendfsync always} (Redis fsyncs before it replies, so an acknowledged transition survives a
 * crash of Redis or its host) or {@code everysec} (fsync once a second: a crash may lose the last
 * second of acknowledged transitions; a clean restart loses nothing). Without AOF a restart loses every
 * state; replicas then keep their last known states, but new replicas start with none.
 *
 * <p>When Redis is unreachable, {@link #append} fails (the transition does not take effect, as with
 * a failing disk), {@link #available} is false, and a background task reconnects every
 * {@code reconnectInterval}, then resubscribes and reloads the hash.
 */
public final class RedisStateStore implements TransitionLog {

    private static final Logger LOG = Logger.getLogger(RedisStateStore.class);

    /**
     * KEYS: audit stream, state hash, channel, blocks hash. ARGV: profile, transition JSON, the state
     * the writer saw (its {@code from}, empty for a new profile), the audit stream's length cap (the
     * stream is history only: states and blocked identities live in the hashes, which are never trimmed). Returns the stream id, or a STALE error when
     * the profile is BLOCKED in Redis and the writer did not know it.
     */
    private static final String APPEND_SCRIPT = """
            local current = redis.call('HGET', KEYS[2], ARGV[1])
            local new = cjson.decode(ARGV[2])
            local prev = nil
            if current then prev = cjson.decode(current)['transition'] end
            if prev and ARGV[3] ~= 'BLOCKED' and prev['to'] == 'BLOCKED' then
              return redis.error_reply('STALE profile ' .. ARGV[1] .. ' is BLOCKED; only a writer that saw the block may change it')
            end
            local blockField = ARGV[1] .. '/' .. new['fingerprint']
            local lift = prev and prev['to'] == 'BLOCKED' and prev['fingerprint'] == new['fingerprint']
            if new['to'] ~= 'BLOCKED' and not lift and redis.call('HEXISTS', KEYS[4], blockField) == 1 then
              return redis.error_reply('STALE identity ' .. new['fingerprint'] .. ' of profile ' .. ARGV[1] .. ' is BLOCKED; it can only come back BLOCKED')
            end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[4], '*', 'profile', ARGV[1], 'transition', ARGV[2])
            local value = '{"id":"' .. id .. '","transition":' .. ARGV[2] .. '}'
            redis.call('HSET', KEYS[2], ARGV[1], value)
            if new['to'] == 'BLOCKED' then
              if new['fingerprint'] ~= '*' then redis.call('HSET', KEYS[4], blockField, value) end
            elseif lift then
              redis.call('HDEL', KEYS[4], blockField)
            end
            redis.call('PUBLISH', KEYS[3], value)
            return id
            """;
    private static final int AUDIT_PAGE = 512;
    /** The audit stream's default cap: years of transitions at realistic rates, a few tens of MB. */
    public static final long DEFAULT_AUDIT_MAX_LENGTH = 100_000;

    private final Redis redis;
    private final String auditKey;
    private final long auditMaxLength;
    private final String stateKey;
    private final String channel;
    private final String blocksKey;
    private final Duration timeout;
    private final Map<String, StreamId> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, ProfileStatus> recovered;
    private final List<ProfileStatus> recoveredBlocks;
    private final List<Consumer<ProfileStatus>> blockListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();
    /** The stream id of each transition being handed to the listeners, for {@link #stillNewest}. */
    private final Map<Transition, StreamId> delivering = new java.util.concurrent.ConcurrentHashMap<>();
    /** Applies incoming transitions in arrival order, off the event loop (listeners may block). */
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steerguard-state-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile RedisConnection subscriber;
    private volatile boolean up;
    /** The state hash has been read at least once since start (see {@link #statesKnown()}). */
    private volatile boolean synced;
    private volatile boolean closed;

    private RedisStateStore(Redis redis, String prefix, Duration timeout, long auditMaxLength) {
        if (auditMaxLength < 1) {
            throw new IllegalArgumentException("the audit stream's length cap must be at least 1");
        }
        this.auditMaxLength = auditMaxLength;
        this.redis = redis;
        this.auditKey = prefix + ":audit";
        this.stateKey = prefix + ":state";
        this.channel = prefix + ":transitions";
        this.blocksKey = prefix + ":blocks";
        this.timeout = timeout;
        Map<String, ProfileStatus> loaded = Map.of();
        List<ProfileStatus> loadedBlocks = List.of();
        try {
            subscribe();
            loadedBlocks = loadBlocks(false);
            loaded = resync(false);
            up = true;
            synced = true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Redis state store unreachable at start (%s); starting without shared states: "
                    + "steered profiles are served unsteered and readiness is DOWN until it is back", e.getMessage());
            markDown();
        }
        this.recovered = loaded;
        this.recoveredBlocks = loadedBlocks;
    }

    /**
     * Connects, subscribes and loads the current states. Never fails for an unreachable Redis:
     * it starts {@linkplain #available() unavailable} and keeps reconnecting.
     *
     * @param prefix            key prefix shared by the replicas of one deployment
     * @param timeout           bound on every Redis round trip
     * @param reconnectInterval how often to retry while Redis is unreachable
     */
    public static RedisStateStore open(Redis redis, String prefix, Duration timeout, Duration reconnectInterval) {
        return open(redis, prefix, timeout, reconnectInterval, DEFAULT_AUDIT_MAX_LENGTH);
    }

    /** As {@link #open(Redis, String, Duration, Duration)}, keeping at most {@code auditMaxLength} audit entries. */
    public static RedisStateStore open(Redis redis, String prefix, Duration timeout, Duration reconnectInterval,
                                       long auditMaxLength) {
        RedisStateStore store = new RedisStateStore(redis, prefix, timeout, auditMaxLength);
        long every = reconnectInterval.toMillis();
        store.sync.scheduleWithFixedDelay(store::reconnectIfDown, every, every, TimeUnit.MILLISECONDS);
        return store;
    }

    @Override
    public Map<String, ProfileStatus> recoveredStatuses() {
        return recovered;
    }

    @Override
    public List<ProfileStatus> recoveredBlocks() {
        return recoveredBlocks;
    }

    @Override
    public void onRemoteBlocks(Consumer<ProfileStatus> listener) {
        blockListeners.add(listener);
    }

    /**
     * Writes the transition to the stream, the hash and the channel in one step. Refused (an
     * {@link IOException}; the store stays available) when the profile is BLOCKED in Redis but the
     * transition starts from another state: another replica blocked it and this one has not seen it
     * yet, so a stale decision must not lift the block. The block reaches this replica by pub/sub.
     */
    @Override
    public void append(Transition t) throws IOException {
        String json = TransitionJson.write(t);
        Response id;
        try {
            id = send(Request.cmd(Command.EVAL).arg(APPEND_SCRIPT).arg(4).arg(auditKey).arg(stateKey)
                    .arg(channel).arg(blocksKey).arg(t.profile()).arg(json)
                    .arg(t.from() == null ? "" : t.from().name()).arg(auditMaxLength));
        } catch (StaleException e) {
            // This replica missed a block: load what Redis knows, so the next attempt starts from it.
            sync.execute(this::resyncQuietly);
            throw e;
        }
        lastSeen.merge(t.profile(), StreamId.parse(id.toString()), StreamId::max);
    }

    @Override
    public List<Transition> readAudit(int limit, Optional<String> profile) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        Deque<Transition> newestFirst = new ArrayDeque<>();
        String end = "+";
        while (newestFirst.size() < limit) {
            Response page = send(Request.cmd(Command.XREVRANGE).arg(auditKey).arg(end).arg("-")
                    .arg("COUNT").arg(AUDIT_PAGE));
            if (page == null || page.size() == 0) {
                break;
            }
            for (Response entry : page) {
                end = "(" + entry.get(0).toString();
                Response fields = entry.get(1);
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if (!"transition".equals(fields.get(i).toString())) {
                        continue;
                    }
                    try {
                        Transition t = TransitionJson.read(fields.get(i + 1).toString());
                        if (profile.isEmpty() || profile.get().equals(t.profile())) {
                            newestFirst.addLast(t);
                        }
                    } catch (IllegalArgumentException e) {
                        LOG.warnf("audit entry %s skipped: %s", entry.get(0), e.getMessage());
                    }
                }
                if (newestFirst.size() >= limit) {
                    break;
                }
            }
            if (page.size() < AUDIT_PAGE) {
                break;
            }
        }
        List<Transition> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return List.copyOf(oldestFirst);
    }

    @Override
    public void onRemote(Consumer<Transition> listener) {
        listeners.add(listener);
        // Transitions that arrived between loading the hash and this call reached nobody: replay the
        // hash to the new listener, in order after them on the sync thread.
        sync.execute(() -> {
            if (up) {
                try {
                    resync(true);
                } catch (IOException e) {
                    LOG.warnf("Redis state store: resync failed, retrying on reconnect: %s", e.getMessage());
                }
            }
        });
    }

    @Override
    public boolean available() {
        return up;
    }

    @Override
    public boolean statesKnown() {
        return synced;
    }

    @Override
    public void close() {
        closed = true;
        sync.shutdownNow();
        RedisConnection c = subscriber;
        if (c != null) {
            c.closeAndForget();
        }
    }

    private Response send(Request request) throws IOException {
        try {
            return redis.send(request).await().atMost(timeout);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("STALE")) {
                throw new StaleException("Redis state store refused a stale transition: " + e.getMessage(), e);
            }
            markDown();
            throw new IOException("Redis state store: " + e.getMessage(), e);
        }
    }

    private void subscribe() throws IOException {
        RedisConnection c;
        try {
            c = redis.connect().await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to Redis: " + e.getMessage(), e);
        }
        c.handler(this::onMessage);
        c.exceptionHandler(e -> lost(c, e.getMessage()));
        c.endHandler(() -> lost(c, "connection closed"));
        try {
            c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).await().atMost(timeout);
        } catch (RuntimeException e) {
            c.closeAndForget();
            throw new IOException("cannot subscribe to " + channel + ": " + e.getMessage(), e);
        }
        subscriber = c;
    }

    private void lost(RedisConnection c, String why) {
        if (subscriber == c && !closed) {
            LOG.warnf("Redis state store subscription lost (%s); states stay as last known, reconnecting", why);
            subscriber = null;
            markDown();
        }
    }

    private void markDown() {
        up = false;
        RedisConnection c = subscriber;
        subscriber = null;
        if (c != null) {
            c.closeAndForget();
        }
    }

    /** Pub/sub pushes arrive as ["message", channel, value]; everything else is a subscribe reply. */
    private void onMessage(Response r) {
        if (r.size() == 3 && "message".equals(r.get(0).toString()) && channel.equals(r.get(1).toString())) {
            String value = r.get(2).toString();
            sync.execute(() -> deliver(value));
        }
    }

    private void deliver(String value) {
        try {
            JsonNode node = TransitionJson.MAPPER.readTree(value);
            StreamId id = StreamId.parse(node.get("id").asText());
            Transition t = TransitionJson.read(node.get("transition").toString());
            StreamId before = lastSeen.get(t.profile());
            if (before != null && before.compareTo(id) >= 0) {
                return;
            }
            lastSeen.merge(t.profile(), id, StreamId::max);
            handOver(t, id);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("ignoring a malformed transition on %s: %s", channel, e.getMessage());
        }
    }

    /** Hands {@code t} to the listeners, which check {@link #stillNewest} under their own lock. */
    private void handOver(Transition t, StreamId id) {
        delivering.put(t, id);
        try {
            listeners.forEach(l -> l.accept(t));
        } finally {
            delivering.remove(t);
        }
    }

    /**
     * False when this replica has since appended (or received) a newer transition of the profile: the
     * check and the listener's apply run under the listener's lock, which its appends hold too.
     */
    @Override
    public boolean stillNewest(Transition t) {
        StreamId id = delivering.get(t);
        return id == null || id.equals(lastSeen.get(t.profile()));
    }

    /** Runs on the sync thread every reconnect interval; a no-op while connected. */
    private void reconnectIfDown() {
        if (up || closed) {
            return;
        }
        try {
            subscribe();
            loadBlocks(true);
            resync(true);
            up = true;
            synced = true;
            LOG.info("Redis state store reachable again; states resynchronised");
        } catch (IOException | RuntimeException e) {
            markDown();
            LOG.debugf("Redis state store still unreachable: %s", e.getMessage());
        }
    }

    /**
     * Loads the hash. The hash is authoritative: ids seen before are replaced by its ids (a Redis
     * that lost data may restart its stream ids lower), and with {@code notify} every state in it is
     * handed to the listeners. Profiles missing from the hash keep their last known state. A profile
     * this replica wrote or received a transition for while the hash was being read is skipped: the
     * read is older than what it already has (handing it over would undo, say, a block just written).
     */
    private Map<String, ProfileStatus> resync(boolean notify) throws IOException {
        Map<String, StreamId> before = Map.copyOf(lastSeen);
        Response all = send(Request.cmd(Command.HGETALL).arg(stateKey));
        Map<String, ProfileStatus> statuses = new java.util.LinkedHashMap<>();
        for (String profile : all.getKeys()) {
            try {
                JsonNode node = TransitionJson.MAPPER.readTree(all.get(profile).toString());
                Transition t = TransitionJson.read(node.get("transition").toString());
                if (notify && !java.util.Objects.equals(before.get(profile), lastSeen.get(profile))) {
                    continue;
                }
                StreamId id = StreamId.parse(node.get("id").asText());
                lastSeen.put(profile, id);
                statuses.put(profile, ProfileStatus.after(t));
                if (notify) {
                    handOver(t, id);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("state of profile %s in %s unreadable, skipped: %s", profile, stateKey, e.getMessage());
            }
        }
        return Map.copyOf(statuses);
    }

    /** Redis refused a write made without knowledge of a block; the store is not down. */
    static final class StaleException extends IOException {
        StaleException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void resyncQuietly() {
        if (!up) {
            return;
        }
        try {
            loadBlocks(true);
            resync(true);
        } catch (IOException e) {
            LOG.warnf("Redis state store: resync after a refused write failed: %s", e.getMessage());
        }
    }

    /** Loads every blocked identity ({@code P:blocks}); with {@code notify} hands each to the block listeners. */
    private List<ProfileStatus> loadBlocks(boolean notify) throws IOException {
        Response all = send(Request.cmd(Command.HGETALL).arg(blocksKey));
        List<ProfileStatus> out = new ArrayList<>();
        for (String field : all.getKeys()) {
            try {
                JsonNode node = TransitionJson.MAPPER.readTree(all.get(field).toString());
                ProfileStatus s = ProfileStatus.after(TransitionJson.read(node.get("transition").toString()));
                out.add(s);
                if (notify) {
                    blockListeners.forEach(l -> l.accept(s));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("blocked identity %s in %s unreadable, skipped: %s", field, blocksKey, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** A Redis stream id {@code millis-sequence}; orders transitions across replicas. */
    record StreamId(long millis, long sequence) implements Comparable<StreamId> {

        static StreamId parse(String id) {
            int dash = id.indexOf('-');
            if (dash < 0) {
                throw new IllegalArgumentException("stream id must be millis-sequence, got " + id);
            }
            return new StreamId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
        }

        static StreamId max(StreamId a, StreamId b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        @Override
        public int compareTo(StreamId o) {
            int c = Long.compare(millis, o.millis);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
