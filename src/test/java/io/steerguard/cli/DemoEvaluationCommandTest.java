package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline evaluation end to end on models/tiny-random (random weights: plumbing, not quality). */
class DemoEvaluationCommandTest {

    private static final String VECTOR = "models/tiny-random/vectors/random-direction.gguf";

    @TempDir
    Path dir;

    @Test
    void offlineEvaluation_onTinyRandom_writesTheReport_withCappedCountsAndBothProfiles() throws Exception {
        Path out = dir.resolve("demo-model.md");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();

        int code = Cli.run("evaluate-demo", new String[] {"--model", "models/tiny-random", "--json-vector", VECTOR,
                "--compliance-vector", VECTOR, "--harmful-limit", "3", "--limit", "3", "--attack-limit", "3",
                "--coefficients", "0,4", "--attacks", "none,prefix-injection,refusal-suppression", "--max-tokens", "16",
                "--out", out.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(seconds).isLessThan(60);
        String md = Files.readString(out);
        assertThat(md).contains("## Profile `json-format`").contains("## Profile `strict-compliance`")
                .contains("at most 16 tokens").contains("seed 7").contains("Not measured in this run.");
        // every category row covers its 3 prompts: answered (n) plus too long
        Matcher rows = Pattern.compile("\\| ([A-Z_]+) \\| [a-z ]+ \\| [^|]*\\((\\d+)/(\\d+)\\) \\| [^|]* \\| (\\d+) \\|")
                .matcher(md);
        int categories = 0;
        while (rows.find()) {
            categories++;
            assertThat(Integer.parseInt(rows.group(3)) + Integer.parseInt(rows.group(4))).as(rows.group()).isEqualTo(3);
        }
        assertThat(categories).isEqualTo(10);
        // the newcomer categories again, answered as a client sending no temperature is (tiny-random has
        // no generation_config.json defaults, so OpenAI's apply)
        assertThat(md).contains("| BENIGN | check passes, sampled at temperature 1, top_p 1, top_k 0 |")
                .contains("| HARMFUL | refusal rate, sampled at temperature 1, top_p 1, top_k 0 |")
                .contains("| OUT_OF_SCOPE | check passes, sampled at");
        assertThat(md).containsPattern("\\| 4 \\| [^\\n]*\\(\\d+/3\\) \\|");
        assertThat(md).contains("| refusal-suppression |");
    }

    @Test
    void unknownAttackTemplate_isAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Cli.run("evaluate-demo", new String[] {"--model", "models/tiny-random", "--attacks", "nonesuch",
                "--json-vector", VECTOR, "--compliance-vector", VECTOR}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nonesuch");
    }

    @Test
    void missingExplicitVector_isAUsageError() {
        int code = Cli.run("evaluate-demo", new String[] {"--model", "models/tiny-random", "--json-vector",
                dir.resolve("nope.gguf").toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isEqualTo(Exit.USAGE);
    }
}
