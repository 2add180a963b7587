package io.steerguard.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a {@code steerguard} command line in-process, the way the launcher does. */
final class Cli {

    private Cli() {
    }

    /** {@code steerguard <command> <args>}; {@code command} may hold a subcommand ("policy validate"). */
    static int run(String command, String[] args, PrintStream out, PrintStream err) {
        return run(command, args, new ByteArrayInputStream(new byte[0]), out, err);
    }

    static int run(String command, String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> line = new ArrayList<>(Arrays.asList(command.split(" ")));
        line.addAll(Arrays.asList(args));
        return SteerGuard.execute(in, out, err, line.toArray(String[]::new));
    }
}
