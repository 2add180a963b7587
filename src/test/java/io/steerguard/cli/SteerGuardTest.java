package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The {@code steerguard} entry point: every command, its help, its usage errors and its exit codes. */
class SteerGuardTest {

    /** The commands issue 15 asks for, plus the report generators folded in beside them. */
    static final List<String> COMMANDS = List.of("derive", "refusal-direction", "audit", "probe", "policy validate",
            "policy explain", "policy statistics", "classify", "train-head", "train-classifier", "train-screen", "corpus",
            "train-demo-model", "evaluate-demo");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SteerGuard.execute(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] line(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static Stream<String> commands() {
        return COMMANDS.stream();
    }

    @Test
    void theCommandTree_isExactlyTheDocumentedCommands() {
        List<String> found = new ArrayList<>();
        collect(SteerGuard.commandLine(System.in, System.out, System.err), found);
        assertThat(found).containsExactlyInAnyOrderElementsOf(COMMANDS);
    }

    private static void collect(CommandLine command, List<String> found) {
        if (command.getSubcommands().isEmpty()) {
            String name = command.getCommandSpec().qualifiedName(" ");
            found.add(name.substring("steerguard ".length()));
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, found));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void help_printsTheOptionsAndExitCodes_andExitsZero(String command) {
        Run run = run("", line(command, "--help"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: steerguard " + command).contains("-h, --help", "Exit codes:",
                "2   usage error", "3   I/O, model or run failure");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOption_isAUsageError_withTheSynopsis_andNoStackTrace(String command) {
        Run run = run("", line(command, "--no-such-option"));

        assertThat(run.exit()).isEqualTo(Exit.USAGE);
        assertThat(run.err()).contains("--no-such-option").contains("Usage: steerguard " + command)
                .contains("Run 'steerguard " + command + " --help' for the options.").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noCommand_orAMisspeltOne_isAUsageError_thatSuggestsTheRightOne() {
        assertThat(run("").exit()).isEqualTo(Exit.USAGE);
        Run misspelt = run("", "dervie");
        assertThat(misspelt.exit()).isEqualTo(Exit.USAGE);
        assertThat(misspelt.err()).contains("Unmatched argument at index 0: 'dervie'").contains("steerguard derive");
        assertThat(run("", "policy").exit()).isEqualTo(Exit.USAGE);
    }

    @Test
    void aBadValue_namesTheOptionAndTheValue() {
        Run run = run("", "derive", "--model", "m", "--data", "d.jsonl", "--method", "pca", "--out", "x.gguf",
                "--batch", "many");

        assertThat(run.exit()).isEqualTo(Exit.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--batch': 'many' is not an int");
    }

    @Test
    void policyValidate_aGoodPolicy_exitsZero() {
        Run run = run("", "policy", "validate", "policies");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("valid: 1 policies");
    }

    @Test
    void policyValidate_aBrokenPolicy_exitsOne_namingFileLineColumnAndField() throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: strict}
                spec:
                  selector: {profiles: ["*"]}
                  limits: {maxExternalityRate: 1.5}
                  action: block
                """);

        Run run = run("", "policy", "validate", broken.toString());

        assertThat(run.exit()).isEqualTo(Exit.CHECK_FAILED);
        assertThat(run.out()).contains(broken + ":6:").contains("spec.limits.maxExternalityRate").contains("1 error");
    }

    @Test
    void classify_aShortText_printsAVerdictLine() {
        Run run = run("{\"prompt\":\"How do I pick a lock?\",\"response\":\"I'm sorry, but I can't help with that.\"}\n",
                "classify", "--in", "-", "--tier", "lexical");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"index\":0").contains("\"refused\":true").contains("\"method\":\"lexical\"");
    }

    @Test
    void anIoFailure_exitsThree_withOneLine_andNoStackTrace() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

        Run run = run("", "policy", "statistics", "--out", file.resolve("report.md").toString(), "--runs", "2");

        assertThat(run.exit()).isEqualTo(Exit.FAILURE);
        assertThat(run.err()).startsWith("error: ").contains("a-file").doesNotContain("\tat ");
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
