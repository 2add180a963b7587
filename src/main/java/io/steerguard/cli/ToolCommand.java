package io.steerguard.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code steerguard} command shares: {@code --help}, the streams of the run (held by the
 * root {@link SteerGuard}, so a test can run a command in-process and read what it printed), and
 * usage errors that picocli reports like its own.
 */
abstract class ToolCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    PrintStream out() {
        return root().out;
    }

    PrintStream err() {
        return root().err;
    }

    InputStream in() {
        return root().in;
    }

    private SteerGuard root() {
        return (SteerGuard) spec.root().userObject();
    }

    /** A usage error of this command: printed with its synopsis, exit code {@link Exit#USAGE}. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * A malformed input file: the command line was right, so no synopsis, just what is wrong where;
     * still {@link Exit#USAGE}, since the caller has to fix what it passed.
     */
    int malformed(String message) {
        err().println("error: " + message);
        return Exit.USAGE;
    }

    /** {@code value} when it is at least {@code min}, else a usage error naming {@code option}. */
    int atLeast(String option, int value, int min) {
        if (value < min) {
            throw usage(option + " must be an integer >= " + min + ", got " + value);
        }
        return value;
    }

    /** {@code value} when it is finite, else a usage error naming {@code option}. */
    double finite(String option, double value) {
        if (!Double.isFinite(value)) {
            throw usage(option + " must be a finite number, got " + value);
        }
        return value;
    }
}
