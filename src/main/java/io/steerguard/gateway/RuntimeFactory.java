package io.steerguard.gateway;

import io.steerguard.config.RuntimeDocument;
import io.steerguard.runtime.ModelRuntime;

/** Creates live runtimes from {@code Runtime} documents. May block (loading a model); never called on the event loop. */
public interface RuntimeFactory {

    /**
     * @throws RuntimeException with a message naming what failed (e.g. the model folder), which
     *                          rejects the configuration change
     */
    ModelRuntime create(RuntimeDocument document);
}
