package io.steerguard.shadow;

import java.time.Duration;
import java.util.Optional;

/**
 * Window counters shared by every replica (e.g. in Redis), next to the local
 * {@link SlidingWindowStats} each replica always keeps. Uses the same bucket maths as
 * {@link SlidingWindowStats}: slices of {@code ceil(window / buckets)} milliseconds, a read sums the
 * current slice and the {@code buckets − 1} before it.
 */
public interface SharedWindowStore {

    /**
     * Adds one pair to {@code windows} of {@code profile}; may return before the write is done and
     * must not throw for an unreachable store (failures are counted instead).
     */
    void record(String profile, java.util.List<Duration> windows, int buckets, long timeMillis, WindowCounts pair);

    /**
     * The sum over every replica of {@code window} ending now, leaving out slices that ended before
     * {@code sinceMillis} ({@link Long#MIN_VALUE} for none); empty when the store cannot answer now,
     * so the caller falls back to its local window.
     */
    Optional<WindowCounts> counts(String profile, Duration window, int buckets, long sinceMillis);

    /** Forgets the profile's shared samples of {@code windows} (its vectors changed). */
    void clear(String profile, java.util.List<Duration> windows, int buckets);
}
