package io.steerguard.runtime.embedded;

import java.nio.file.Path;

/**
 * A model folder cannot be loaded: a missing or malformed file, an unknown architecture, a missing
 * or mis-shaped tensor. The message names the folder and the offending file, field or tensor.
 */
public final class ModelLoadException extends RuntimeException {

    private final Path modelDir;

    public ModelLoadException(Path modelDir, String message) {
        this(modelDir, message, null);
    }

    public ModelLoadException(Path modelDir, String message, Throwable cause) {
        super(modelDir + ": " + message, cause);
        this.modelDir = modelDir;
    }

    /** The model folder that failed to load. */
    public Path modelDir() {
        return modelDir;
    }
}
