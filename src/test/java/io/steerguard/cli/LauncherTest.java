package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher the build writes ({@code target/steerguard}, at Maven's initialize phase) runs the
 * tools from the build output, without starting the gateway; and the CLI stays outside the gateway.
 */
class LauncherTest {

    static final Path LAUNCHER = Path.of("target", "steerguard");

    record Result(int exit, String out, String err) {
    }

    static Result launch(String... args) throws IOException, InterruptedException {
        assertThat(LAUNCHER).as("the build writes it; run ./mvnw -q initialize").isExecutable();
        Path out = Files.createTempFile("steerguard", ".out");
        Path err = Files.createTempFile("steerguard", ".err");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    void theBuiltLauncher_printsHelp_andExitsZero_withoutStartingTheGateway() throws Exception {
        Result r = launch("--help");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: steerguard").contains("derive", "policy", "evaluate-demo", "Exit codes:");
        assertThat(r.out() + r.err()).doesNotContain("Quarkus").doesNotContain("Listening on");
    }

    @Test
    void theBuiltLauncher_passesArgumentsAndExitCodesThrough() throws Exception {
        Result valid = launch("policy", "validate", "policies");
        assertThat(valid.exit()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("valid: 1 policies");

        Result broken = launch("policy", "validate", "src/test/resources/testdata/policies/min-samples-zero.yaml");
        assertThat(broken.exit()).isEqualTo(Exit.CHECK_FAILED);
        assertThat(broken.out()).contains("min-samples-zero.yaml:9:17: spec.decision.minSamples");

        Result usage = launch("probe", "--vector", "with spaces.gguf");
        assertThat(usage.exit()).isEqualTo(Exit.USAGE);
        assertThat(usage.err()).contains("Missing required option: '--model=DIR'");
    }

    @Test
    void onlyTheOneEntryPoint_hasAMainMethod() throws IOException {
        List<String> mains;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            mains = files.filter(f -> f.toString().endsWith(".java")).filter(LauncherTest::declaresMain)
                    .map(f -> f.getFileName().toString()).toList();
        }
        assertThat(mains).containsExactly("SteerGuard.java");
    }

    private static boolean declaresMain(Path file) {
        try {
            return Files.readString(file).contains("static void main(");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void picocliComesAlone_withoutQuarkusCommandMode() throws IOException {
        List<URL> extensions = Collections.list(getClass().getClassLoader()
                .getResources("META-INF/quarkus-extension.properties"));

        assertThat(extensions).isNotEmpty();
        assertThat(extensions).noneMatch(url -> url.toString().contains("quarkus-picocli"));
    }

    @Test
    void noCommand_isACdiBeanOrAQuarkusMain() throws IOException {
        List<String> annotated;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/steerguard/cli"))) {
            annotated = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    String src = Files.readString(f);
                    return src.contains("jakarta.enterprise") || src.contains("jakarta.inject") || src.contains("QuarkusMain")
                            || src.contains("io.quarkus");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertThat(annotated).isEmpty();
    }
}
