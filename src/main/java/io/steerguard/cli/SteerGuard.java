package io.steerguard.cli;

import io.steerguard.djl.DjlOffline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code steerguard <command>}: the one entry point of the offline tools. It never starts the
 * Quarkus application; the gateway and these commands only share plain library classes.
 */
@Command(name = "steerguard", synopsisSubcommandLabel = "COMMAND",
        description = "SteerGuard's offline tools: derive and audit steering vectors, probe them, check policies, "
                + "classify answers, train the classifiers and the demo model.",
        subcommands = {DeriveCommand.class, RefusalDirectionCommand.class, AuditCommand.class, ProbeCommand.class,
                PolicyCommand.class, ClassifyCommand.class, TrainRefusalHead.class, TrainRefusalModel.class, TrainScreenCommand.class,
                CorpusCommand.class, TrainDemoModelCommand.class, DemoEvaluationCommand.class},
        footer = {"", "Run 'steerguard COMMAND --help' for a command's options. Documentation: docs/cli.md."})
public final class SteerGuard extends ToolCommand {

    final InputStream in;
    final PrintStream out;
    final PrintStream err;

    SteerGuard(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Without a command there is nothing to do: the overview goes to standard error as a usage error. */
    @Override
    public Integer call() {
        throw usage("no command given");
    }

    public static void main(String[] args) {
        DjlOffline.ensure();
        System.exit(execute(System.in, System.out, System.err, args));
    }

    /** Runs one command line in-process; returns its exit code ({@link Exit}). */
    public static int execute(InputStream in, PrintStream out, PrintStream err, String... args) {
        int code = commandLine(in, out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new SteerGuard(in, out, err));
        // "@file" stays a file name: no command here reads its arguments from a file
        cli.setExpandAtFiles(false);
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler(SteerGuard::usageError);
        cli.setExecutionExceptionHandler((e, command, parsed) -> fault(e, command));
        documentExitCodes(cli);
        return cli;
    }

    private static void documentExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(Exit.descriptions());
        command.getSubcommands().values().forEach(SteerGuard::documentExitCodes);
    }

    /** What was wrong, the command's synopsis and where the options are listed; no stack trace. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter w = command.getErr();
        // picocli checks required options before it reports unknown ones; a misspelt option is the real cause
        List<String> unmatched = command.getUnmatchedArguments();
        if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            w.println("error: unknown option or argument: " + String.join(" ", unmatched));
        }
        w.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, w);
        w.print(command.getHelp().fullSynopsis());
        w.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
        w.flush();
        return Exit.USAGE;
    }

    /**
     * An exception a command let escape. A command reports what it expects itself; this keeps the
     * rest to one line: a bad value ({@link IllegalArgumentException}) is a usage error, the rest failures.
     */
    private static int fault(Exception e, CommandLine command) {
        PrintWriter w = command.getErr();
        int code;
        if (e instanceof IllegalArgumentException) {
            w.println("error: " + e.getMessage());
            code = Exit.USAGE;
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            w.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            code = Exit.FAILURE;
        } else {
            w.println("error: " + command.getCommandName() + " failed: " + e);
            code = Exit.FAILURE;
        }
        w.flush();
        return code;
    }
}
