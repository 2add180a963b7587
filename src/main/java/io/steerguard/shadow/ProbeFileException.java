package io.steerguard.shadow;

import java.util.Objects;

/**
 * A probe file cannot be used. The message reads {@code <file>:<line>: <detail>} (or
 * {@code <file>: <detail>} when no line is at fault), e.g.
 * {@code probes/team.csv:7: expected prompt[,category], got 3 fields}.
 */
public final class ProbeFileException extends RuntimeException {

    private final String file;
    private final int line;

    /**
     * @param file   the file as it was named to the loader
     * @param line   1-based line at fault, or 0 when the whole file is
     * @param detail what is wrong and what was expected
     */
    public ProbeFileException(String file, int line, String detail) {
        this(file, line, detail, null);
    }

    public ProbeFileException(String file, int line, String detail, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + detail, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** The 1-based line at fault, or 0 for the whole file. */
    public int line() {
        return line;
    }
}
