package io.steerguard.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes every {@code steerguard} command shares, so CI scripts can tell a failed check
 * from a typo and from a broken disk (docs/cli.md lists them).
 */
final class Exit {

    /** The command did what it was asked and every check it ran passed. */
    static final int OK = 0;
    /**
     * A check ran and failed: an invalid policy or configuration, a geometry audit at risk with
     * {@code --fail-on-risk}, a probe uplift over {@code --max-uplift}, accuracy under
     * {@code --min-accuracy}.
     */
    static final int CHECK_FAILED = 1;
    /** The command line is wrong: an unknown option, a missing or malformed value, a malformed input file. */
    static final int USAGE = 2;
    /** Something broke: a file could not be read or written, a model did not load, a run failed. */
    static final int FAILURE = 3;

    private Exit() {
    }

    /** The list {@code --help} prints, in code order. */
    static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(" " + OK, "done; every check passed");
        codes.put(" " + CHECK_FAILED, "a check failed (invalid policy or configuration, --fail-on-risk, --max-uplift, "
                + "--min-accuracy)");
        codes.put(" " + USAGE, "usage error: unknown option, missing or malformed value, malformed input file");
        codes.put(" " + FAILURE, "I/O, model or run failure");
        return codes;
    }
}
