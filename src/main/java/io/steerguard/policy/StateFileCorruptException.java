package io.steerguard.policy;

import java.io.IOException;
import java.nio.file.Path;

/** A damaged record in the state files: start-up stops rather than guess what it said. */
public final class StateFileCorruptException extends IOException {

    private final Path file;
    private final long line;

    public StateFileCorruptException(Path file, long line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the first damaged record. */
    public long line() {
        return line;
    }
}
