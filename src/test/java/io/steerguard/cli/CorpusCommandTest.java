package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusCommandTest {

    @TempDir
    Path dir;

    @Test
    void corpus_writesAllSixFiles_andPrintsCountsPerCategoryAndSplit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run("corpus", new String[] {"--seed", "3", "--out", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Exit.OK);
        for (String name : new String[] {"train.jsonl", "held-out.jsonl", "json-format-pairs.jsonl",
                "compliance-pairs.jsonl", "harmful.jsonl", "harmless.jsonl"}) {
            assertThat(Files.readAllLines(dir.resolve(name))).as(name).hasSizeGreaterThan(100);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).containsPattern("harmful +6000 +250").containsPattern("harmful_wrapped +800 +250")
                .contains("sensitive_benign").containsPattern("greeting +1000 +2[0-9][0-9]").containsPattern("out_of_scope +3000 +250");
        assertThat(Files.readAllLines(dir.resolve("train.jsonl"))).hasSize(25_900);
        List<String> requests = Files.readAllLines(dir.resolve("held-out-harmful.requests.jsonl"));
        assertThat(requests).hasSize(250);
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(requests.get(0));
        assertThat(body.path("model").asText()).isEqualTo("demo-chat");
        assertThat(body.path("temperature").asInt()).isZero();
        assertThat(body.path("messages").get(body.path("messages").size() - 1).path("role").asText()).isEqualTo("user");
        assertThat(Files.readAllLines(dir.resolve("held-out-benign.requests.jsonl"))).hasSize(250);
    }

    @Test
    void aMissingOutOption_orABadSeed_isAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Cli.run("corpus", new String[] {"--seed", "1"}, out, errStream)).isEqualTo(Exit.USAGE);
        assertThat(Cli.run("corpus", new String[] {"--out", dir.toString(), "--seed", "x"}, out, errStream))
                .isEqualTo(Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--out=DIR'",
                "Invalid value for option '--seed': 'x' is not a long");
    }
}
