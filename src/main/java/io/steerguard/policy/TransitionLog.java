package io.steerguard.policy;

import io.steerguard.redis.RedisStateStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where profile transitions go before they take effect, and the audit log they form. The local
 * {@link StateStore} (a fsynced file) and the shared {@link RedisStateStore} implement it; the
 * {@link ProfileStateMachine} behaves the same on either.
 */
public interface TransitionLog extends Closeable {

    /** The state of every profile when the log was opened (the last transition of each). */
    Map<String, ProfileStatus> recoveredStatuses();

    /**
     * Every identity that was BLOCKED when the log was opened, current or replaced (see
     * {@link BlockedIdentities}); includes the BLOCKED ones among {@link #recoveredStatuses()}.
     */
    default List<ProfileStatus> recoveredBlocks() {
        return recoveredStatuses().values().stream().filter(s -> s.state() == ProfileState.BLOCKED).toList();
    }

    /**
     * Persists one transition; returns only once it is durable as far as this log promises.
     *
     * @throws IOException when it could not be persisted: the transition must not take effect
     */
    void append(Transition t) throws IOException;

    /** The last {@code limit} transitions, oldest first, optionally of one profile only. */
    List<Transition> readAudit(int limit, Optional<String> profile) throws IOException;

    /**
     * Asks to be told of transitions that other writers (other replicas) persisted, in the order
     * they were persisted, and of the full current state after a resync. A local log has no other
     * writers and never calls back.
     */
    default void onRemote(Consumer<Transition> listener) {
    }

    /**
     * Whether a transition handed to an {@link #onRemote} listener is still the newest this log
     * knows for its profile. A listener asks under the same lock its own appends hold: a transition
     * delivered late, after this replica appended a newer one, must not overwrite it (a stale echo
     * could put a BLOCKED profile back in PROBATION on this replica while it is blocked everywhere).
     */
    default boolean stillNewest(Transition t) {
        return true;
    }

    /**
     * Asks to be told of blocked identities (see {@link BlockedIdentities}) a shared log reloaded
     * after this replica missed transitions; called before the matching {@link #onRemote} states.
     */
    default void onRemoteBlocks(Consumer<ProfileStatus> listener) {
    }

    /** Whether the log can persist transitions right now. */
    default boolean available() {
        return true;
    }

    /**
     * Whether this replica holds the deployment's profile states: true once they have been read,
     * and from then on, outages included (while the log is unavailable no transition can be
     * written anywhere, so the last states read are still the states). False only for a shared log
     * that has not been read since this replica started: then any profile might be BLOCKED.
     */
    default boolean statesKnown() {
        return true;
    }
}
