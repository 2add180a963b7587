package io.steerguard.gateway;

import java.util.Objects;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Decides, poll by poll, when the configuration files have changed and settled. A change is
 * applied only once two polls in a row have seen the same snapshot (names, sizes, modification
 * times and content hashes): a file caught mid-write — for instance cut off right after a
 * {@code ---} line, which is still valid YAML — has changed again by the next poll and is never
 * applied. A poll never ends the watcher, whatever it throws (an {@link Error} included): a
 * {@code ScheduledExecutorService} would otherwise silently stop running it.
 */
final class ConfigWatcher {

    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);

    private final Supplier<String> snapshot;
    private final Runnable reload;
    private String applied;
    private String pending;

    /**
     * @param snapshot    a description of the files that changes whenever any of them does
     * @param reload      loads and applies the configuration
     * @param atStart     the snapshot the configuration in force was loaded from
     */
    ConfigWatcher(Supplier<String> snapshot, Runnable reload, String atStart) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.reload = Objects.requireNonNull(reload, "reload");
        this.applied = Objects.requireNonNull(atStart, "atStart");
    }

    /** One poll; returns whether it reloaded. Never throws. */
    synchronized boolean poll() {
        try {
            String now = snapshot.get();
            if (now.equals(applied)) {
                pending = null;
                return false;
            }
            if (!now.equals(pending)) {
                pending = now; // changed since the last poll: wait until it holds still
                return false;
            }
            applied = now;
            pending = null;
            reload.run();
            return true;
        } catch (Throwable t) {
            LOG.error("configuration watcher failed; it keeps watching", t);
            return false;
        }
    }
}
