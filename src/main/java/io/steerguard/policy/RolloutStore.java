package io.steerguard.policy;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where rollout decisions go before they take effect, and the audit log they form: the fsynced
 * {@link FileRolloutStore} or the shared {@link RedisRolloutStore}.
 */
public interface RolloutStore extends Closeable {

    /** The newest record of every rollout, as this store last read or wrote it. */
    Map<RolloutKey, RolloutRecord> latest();

    /**
     * Persists one record; returns only once it is durable as far as the store promises.
     *
     * @throws StaleRolloutException when the store holds a newer record of the rollout than
     *                               {@code record.version() - 1} (another replica decided first); the
     *                               store has then re-read it, and nothing was written
     * @throws IOException           when it could not be persisted: the decision must not take effect
     */
    void append(RolloutRecord record) throws IOException;

    /** Re-reads the shared state (decisions of other replicas); a local file has nothing to re-read. */
    default void refresh() throws IOException {
    }

    /**
     * Whether the decisions have been read: always for a local file; for a shared store, once the
     * first read succeeded. Until then no decision is known, and no candidate is served.
     */
    default boolean known() {
        return true;
    }

    /** The newest {@code limit} records, newest first. */
    List<RolloutRecord> history(int limit) throws IOException;

    /** Another writer persisted a newer record of the rollout first. */
    final class StaleRolloutException extends IOException {
        public StaleRolloutException(String message) {
            super(message);
        }
    }
}
