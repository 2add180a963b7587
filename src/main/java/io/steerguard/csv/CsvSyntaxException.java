package io.steerguard.csv;

/** Text that is not CSV, with the line to look at; callers add the file name. */
public final class CsvSyntaxException extends IllegalArgumentException {

    private final int line;

    public CsvSyntaxException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The message without its line prefix. */
    public String problem() {
        return getMessage().substring(getMessage().indexOf(": ") + 2);
    }
}
