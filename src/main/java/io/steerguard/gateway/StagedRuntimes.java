package io.steerguard.gateway;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.steerguard.config.RuntimeDocument;
import io.steerguard.runtime.ModelRuntime;

/**
 * The runtimes one reload creates. Unless the reload commits them, closing this closes them all,
 * however the reload ended: rejected, or failed with any exception or error part-way, so a
 * failed reload never leaves a loaded model or a connection pool behind.
 */
final class StagedRuntimes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StagedRuntimes.class);

    private final RuntimeFactory factory;
    private final List<ModelRuntime> created = new ArrayList<>();
    private boolean committed;

    StagedRuntimes(RuntimeFactory factory) {
        this.factory = factory;
    }

    ModelRuntime create(RuntimeDocument document) {
        ModelRuntime runtime = factory.create(document);
        created.add(runtime);
        return runtime;
    }

    /** The runtimes now belong to the applied state. */
    void commit() {
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            created.forEach(StagedRuntimes::closeQuietly);
        }
    }

    static void closeQuietly(ModelRuntime runtime) {
        try {
            runtime.close();
        } catch (RuntimeException e) {
            LOG.warnf(e, "closing runtime %s failed", runtime.name());
        }
    }
}
