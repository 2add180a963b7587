package io.steerguard.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A place in a configuration file, 1-based like editors show it.
 *
 * @param file   the file, as found under the configured paths
 * @param line   1-based line, or 0 when unknown (e.g. the file could not be read)
 * @param column 1-based column, or 0 when unknown
 */
public record SourceLocation(Path file, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative");
        }
    }

    public static SourceLocation of(Path file) {
        return new SourceLocation(file, 0, 0);
    }

    @Override
    public String toString() {
        return line == 0 ? file.toString() : file + ":" + line + ":" + column;
    }
}
