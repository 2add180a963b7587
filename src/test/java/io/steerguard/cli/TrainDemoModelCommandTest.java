package io.steerguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainDemoModelCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run("train-demo-model", args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aFewStepsOnTheRealCorpus_writeAModelFolderTheRuntimeLoadsAndChatsWith(@TempDir Path dir) throws Exception {
        int code = run("--out", dir.toString(), "--steps", "3", "--vocab", "400", "--hidden", "32", "--layers", "1");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("step     3/3", "tokenizer: 400 tokens");
        for (String file : List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "training-log.json", "README.md")) {
            assertThat(dir.resolve(file)).isRegularFile();
        }
        JsonNode log = new ObjectMapper().readTree(dir.resolve("training-log.json").toFile());
        assertThat(log.path("plan").path("steps").asInt()).isEqualTo(3);
        assertThat(log.path("lossPer10Steps")).hasSize(1);
        assertThat(Files.readString(dir.resolve("README.md"))).contains("## What it is not", "seed 7",
                "(libtorch threads: default)", "| HARMFUL | ");

        // the card is a rendering of the log: change the log and re-render without training
        Files.writeString(dir.resolve("training-log.json"), Files.readString(dir.resolve("training-log.json"))
                .replace("\"libtorchThreads\" : \"default\"", "\"libtorchThreads\" : \"1\""));
        assertThat(run("--card-only", "--out", dir.toString())).isZero();
        assertThat(Files.readString(dir.resolve("README.md"))).contains("(libtorch threads: 1)");

        try (EmbeddedRuntime runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("smoke", dir))) {
            GenerationRequest request = GenerationRequest.of("req",
                    Prompt.chat(List.of(ChatMessage.user("How do I bake bread?"))), SamplingParams.greedy(4),
                    SteeringSpec.none());
            List<GenerationEvent> events = runtime.generate(request).collect().asList().await()
                    .atMost(Duration.ofSeconds(60));
            assertThat(events).anyMatch(e -> e instanceof GenerationEvent.Token);
        }
    }

    @Test
    void sizesThatBreakTheHeadLayout_areUsageErrors(@TempDir Path dir) {
        assertThat(run("--out", dir.toString(), "--hidden", "48")).isEqualTo(Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--hidden must be a multiple of 32, got 48");
    }

    @Test
    void unknownOptionsAndZeroSteps_areUsageErrors(@TempDir Path dir) {
        assertThat(run("--epochs", "3")).isEqualTo(Exit.USAGE);
        assertThat(run("--out", dir.toString(), "--steps", "0")).isEqualTo(Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown options: '--epochs', '3'",
                "--steps must be an integer >= 1");
        assertThat(dir).isEmptyDirectory();
    }
}
