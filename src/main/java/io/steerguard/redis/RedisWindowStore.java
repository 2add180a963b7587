package io.steerguard.redis;

import io.steerguard.shadow.SharedWindowStore;
import io.steerguard.shadow.SlidingWindowStats;
import io.steerguard.shadow.WindowCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Window counters shared by every replica through Redis. Each slice of a window is one hash
 * {@code P:stats:<profile>:<windowMillis>:<slice>} (slice = ⌊t / ⌈window / buckets⌉⌋, the
 * {@link SlidingWindowStats} maths) with the fields of {@link WindowCounts}: {@code s p sr ur e o}
 * (HINCRBY) and {@code m m2} (Σ margin, Σ margin², HINCRBYFLOAT). A hash expires one window after
 * its slice ended, so memory is bounded by {@code profiles × windows × (buckets + 1)} hashes.
 *
 * <p>A record is one fire-and-forget Lua call updating every window of the profile atomically (so
 * a reader never sees half a pair); a read is one Lua call summing the live slices, cached for
 * {@code cacheFor} so gauges and the evaluation loop do not each go to Redis. Slices are chosen by
 * this replica's clock: replicas need clocks synchronised to well under one slice.
 *
 * <p>When Redis fails, a write is lost (and counted in {@link #failures()}); a read returns empty
 * (the caller uses its local window) and Redis is not asked again for {@code retryAfter}, so an
 * outage does not add a timeout to every snapshot. Samples recorded during an outage stay local.
 */
public final class RedisWindowStore implements SharedWindowStore {

    private static final Logger LOG = Logger.getLogger(RedisWindowStore.class);

    /** KEYS: one slice hash per window. ARGV: the 6 count increments, Σ margin, Σ margin², then one TTL (ms) per key. */
    private static final String RECORD_SCRIPT = """
            local fields = {'s', 'p', 'sr', 'ur', 'e', 'o'}
            for i, key in ipairs(KEYS) do
              for j = 1, 6 do redis.call('HINCRBY', key, fields[j], ARGV[j]) end
              redis.call('HINCRBYFLOAT', key, 'm', ARGV[7])
              redis.call('HINCRBYFLOAT', key, 'm2', ARGV[8])
              redis.call('PEXPIRE', key, ARGV[8 + i])
            end
            return #KEYS
            """;

    /** KEYS: the slice hashes of one window. Returns the 6 counts and the two sums as exact strings. */
    private static final String SUM_SCRIPT = """
            local t = {0, 0, 0, 0, 0, 0}
            local m, m2 = 0, 0
            for _, key in ipairs(KEYS) do
              local v = redis.call('HMGET', key, 's', 'p', 'sr', 'ur', 'e', 'o', 'm', 'm2')
              if v[1] then
                for j = 1, 6 do t[j] = t[j] + tonumber(v[j]) end
                m = m + tonumber(v[7])
                m2 = m2 + tonumber(v[8])
              end
            end
            return {t[1], t[2], t[3], t[4], t[5], t[6], string.format('%.17g', m), string.format('%.17g', m2)}
            """;

    private final Redis redis;
    private final String prefix;
    private final Duration timeout;
    private final long cacheNanos;
    private final long retryNanos;
    private final LongSupplier clock;
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile long retryAtNanos = Long.MIN_VALUE;
    private volatile boolean up = true;

    /**
     * @param prefix     key prefix shared by the replicas of one deployment
     * @param timeout    bound on every Redis round trip
     * @param cacheFor   how long a read is reused (zero: never)
     * @param retryAfter after a failed read, how long snapshots use the local window without asking Redis
     * @param clock      current time in epoch milliseconds (chooses the slices)
     */
    public RedisWindowStore(Redis redis, String prefix, Duration timeout, Duration cacheFor, Duration retryAfter,
                            LongSupplier clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix") + ":stats:";
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.cacheNanos = Objects.requireNonNull(cacheFor, "cacheFor").toNanos();
        this.retryNanos = Objects.requireNonNull(retryAfter, "retryAfter").toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cacheFor.isNegative() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("cacheFor and retryAfter must not be negative");
        }
    }

    @Override
    public void record(String profile, List<Duration> windows, int buckets, long timeMillis, WindowCounts pair) {
        long now = clock.getAsLong();
        List<String> keys = new ArrayList<>(windows.size());
        List<Long> ttls = new ArrayList<>(windows.size());
        for (Duration window : windows) {
            long width = bucketMillis(window, buckets);
            long current = Math.floorDiv(now, width);
            long slice = Math.min(Math.floorDiv(timeMillis, width), current);
            if (slice <= current - buckets) {
                continue; // older than the window, as SlidingWindowStats drops it
            }
            keys.add(key(profile, window, slice));
            // expires one window after the slice ended: (slice + 1) · width + window − now ≤ window + width
            ttls.add(Math.max(1, (slice + 1) * width + window.toMillis() - now));
        }
        if (keys.isEmpty()) {
            return;
        }
        Request r = Request.cmd(Command.EVAL).arg(RECORD_SCRIPT).arg(keys.size());
        keys.forEach(r::arg);
        r.arg(pair.samples()).arg(pair.probeSamples()).arg(pair.steeredRefused()).arg(pair.unsteeredRefused())
                .arg(pair.externalities()).arg(pair.overRefusals()).arg(Double.toString(pair.marginSum()))
                .arg(Double.toString(pair.marginSumSquares()));
        ttls.forEach(r::arg);
        redis.send(r).ifNoItem().after(timeout).fail().subscribe().with(ok -> { }, e -> {
            failures.incrementAndGet();
            LOG.debugf("shared statistics of %s not recorded: %s", profile, e.getMessage());
        });
    }

    @Override
    public Optional<WindowCounts> counts(String profile, Duration window, int buckets, long sinceMillis) {
        long width = bucketMillis(window, buckets);
        long current = Math.floorDiv(clock.getAsLong(), width);
        long first = Math.max(current - buckets + 1,
                sinceMillis == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(sinceMillis, width));
        CacheKey ck = new CacheKey(profile, window.toMillis(), current, first);
        long nowNanos = System.nanoTime();
        Cached hit = cache.get(ck);
        if (hit != null && nowNanos - hit.atNanos < cacheNanos) {
            return Optional.of(hit.counts);
        }
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // An event loop must not wait for Redis: the last read (however old), else the local window.
            return hit == null ? Optional.empty() : Optional.of(hit.counts);
        }
        if (!up && nowNanos - retryAtNanos < 0) {
            return Optional.empty();
        }
        if (first > current) {
            return Optional.of(WindowCounts.EMPTY);
        }
        Request r = Request.cmd(Command.EVAL).arg(SUM_SCRIPT).arg(current - first + 1);
        for (long s = first; s <= current; s++) {
            r.arg(key(profile, window, s));
        }
        try {
            Response v = redis.send(r).await().atMost(timeout);
            WindowCounts counts = new WindowCounts(v.get(0).toLong(), v.get(1).toLong(), v.get(2).toLong(),
                    v.get(3).toLong(), v.get(4).toLong(), v.get(5).toLong(),
                    Double.parseDouble(v.get(6).toString()), Math.max(0, Double.parseDouble(v.get(7).toString())));
            up = true;
            cache.keySet().removeIf(k -> k.profile.equals(profile) && k.window == ck.window && k.current < current);
            cache.put(ck, new Cached(counts, nowNanos));
            return Optional.of(counts);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (up) {
                LOG.warnf("shared statistics unreachable (%s); snapshots use this replica's samples only", e.getMessage());
            }
            up = false;
            retryAtNanos = nowNanos + retryNanos;
            return Optional.empty();
        }
    }

    @Override
    public void clear(String profile, List<Duration> windows, int buckets) {
        cache.keySet().removeIf(k -> k.profile.equals(profile));
        long now = clock.getAsLong();
        Request r = Request.cmd(Command.DEL);
        for (Duration window : windows) {
            long width = bucketMillis(window, buckets);
            long current = Math.floorDiv(now, width);
            for (long s = current - buckets + 1; s <= current; s++) {
                r.arg(key(profile, window, s));
            }
        }
        try {
            redis.send(r).await().atMost(timeout);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warnf("shared statistics of %s not cleared: %s", profile, e.getMessage());
        }
    }

    /** Failed Redis calls so far (lost writes, reads answered locally, failed clears). */
    public long failures() {
        return failures.get();
    }

    /** Whether the last read reached Redis. */
    public boolean available() {
        return up;
    }

    private String key(String profile, Duration window, long slice) {
        return prefix + profile + ":" + window.toMillis() + ":" + slice;
    }

    /** ⌈window / buckets⌉, as {@link SlidingWindowStats}. */
    private static long bucketMillis(Duration window, int buckets) {
        return (window.toMillis() + buckets - 1) / buckets;
    }

    private record CacheKey(String profile, long window, long current, long first) {
    }

    private record Cached(WindowCounts counts, long atNanos) {
    }
}
