package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which temperature, top_p and top_k a generation uses, observed from outside: a real request body
 * through the gateway's parser, a real embedded runtime on a copy of {@code models/tiny-random} whose
 * {@code generation_config.json} and Runtime-document defaults each test sets. Random weights give a
 * flat next-token distribution, so sampled answers differ across seeds while greedy ones (temperature
 * 0, or top_k 1, or a tiny top_p) are identical: the answers show which level decided. Precedence:
 * the request, then the Runtime document, then generation_config.json, then OpenAI's defaults.
 */
class SamplingDefaultsPrecedenceTest {

    private static final RequestParser PARSER = new RequestParser(new ObjectMapper(), 64, 4096);
    private static final int SEEDS = 6;

    @TempDir
    Path tmp;

    /** A copy of the tiny random model whose generation_config.json also holds {@code extra} fields. */
    private Path model(String extra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m" + Math.abs(extra.hashCode())));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(Path.of("models/tiny-random", f), dir.resolve(f));
        }
        String generation = Files.readString(Path.of("models/tiny-random/generation_config.json")).strip();
        if (!extra.isEmpty()) {
            generation = generation.substring(0, generation.lastIndexOf('}')) + ", " + extra + "}";
        }
        Files.writeString(dir.resolve("generation_config.json"), generation);
        return dir;
    }

    /** Distinct answers to one prompt over {@link #SEEDS} seeds; {@code fields} are added to the body. */
    private static Set<String> answers(EmbeddedRuntime runtime, String fields) {
        Set<String> out = new HashSet<>();
        for (int seed = 1; seed <= SEEDS; seed++) {
            String body = "{\"model\":\"tiny\",\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"seed\":" + seed
                    + fields + "}";
            RequestParser.Result parsed = PARSER.parse(Operation.TEXT_COMPLETION, body.getBytes(StandardCharsets.UTF_8));
            CompletionRequest request = ((RequestParser.Result.Valid) parsed).request();
            GenerationRequest generation = GenerationRequest.of("r" + seed, request.prompt(),
                    request.samplingFor(runtime.samplingDefaults()), SteeringSpec.none());
            out.add(runtime.generate(generation).collect().asList().await().atMost(Duration.ofSeconds(60)).stream()
                    .filter(e -> e instanceof GenerationEvent.Token).map(e -> ((GenerationEvent.Token) e).text())
                    .collect(Collectors.joining()));
        }
        return out;
    }

    private static EmbeddedRuntime load(Path dir, SamplingDefaults document) {
        return EmbeddedRuntime.load(new EmbeddedRuntimeOptions("tiny", dir, "cpu", 2, 64, 8, document));
    }

    @Test
    @DisplayName("with no defaults anywhere an omitted temperature is OpenAI's 1: answers vary with the seed")
    void noDefaults_fallBackToOpenAi() throws IOException {
        try (EmbeddedRuntime runtime = load(model(""), SamplingDefaults.NONE)) {
            assertThat(runtime.samplingDefaults()).isEqualTo(SamplingDefaults.NONE);
            assertThat(answers(runtime, "")).hasSizeGreaterThan(1);
            assertThat(answers(runtime, ",\"temperature\":0")).hasSize(1);
        }
    }

    @Test
    @DisplayName("generation_config.json decides what the request omits: temperature 0, top_k 1 or a tiny top_p make it greedy")
    void generationConfig_fillsOmittedFields() throws IOException {
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 0.0"), SamplingDefaults.NONE)) {
            Set<String> greedy = answers(runtime, ",\"temperature\":0");
            assertThat(answers(runtime, "")).isEqualTo(greedy).hasSize(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 1.0, \"top_k\": 1"), SamplingDefaults.NONE)) {
            assertThat(runtime.samplingDefaults()).isEqualTo(new SamplingDefaults(1.0, null, 1));
            assertThat(answers(runtime, "")).hasSize(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"top_p\": 0.0001"), SamplingDefaults.NONE)) {
            assertThat(answers(runtime, "")).hasSize(1);
        }
    }

    @Test
    @DisplayName("the request's own temperature, top_k and top_p win over generation_config.json")
    void requestFields_winOverGenerationConfig() throws IOException {
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 0.0"), SamplingDefaults.NONE)) {
            assertThat(answers(runtime, ",\"temperature\":1")).hasSizeGreaterThan(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"top_k\": 1"), SamplingDefaults.NONE)) {
            assertThat(answers(runtime, ",\"top_k\":0")).hasSizeGreaterThan(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"top_p\": 0.0001"), SamplingDefaults.NONE)) {
            assertThat(answers(runtime, ",\"top_p\":1")).hasSizeGreaterThan(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 2.0"), new SamplingDefaults(2.0, null, null))) {
            assertThat(answers(runtime, ",\"temperature\":0")).hasSize(1);
        }
    }

    @Test
    @DisplayName("the Runtime document's sampling wins over generation_config.json, field by field")
    void runtimeDocument_winsOverGenerationConfig() throws IOException {
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 0.0"), new SamplingDefaults(1.0, null, null))) {
            assertThat(answers(runtime, "")).hasSizeGreaterThan(1);
        }
        try (EmbeddedRuntime runtime = load(model("\"temperature\": 2.0, \"top_k\": 1"), new SamplingDefaults(0.0, null, null))) {
            assertThat(runtime.samplingDefaults()).isEqualTo(new SamplingDefaults(0.0, null, 1));
            assertThat(answers(runtime, "")).hasSize(1);
        }
        // the document sets only the temperature; generation_config.json's top_k still applies
        try (EmbeddedRuntime runtime = load(model("\"top_k\": 1"), new SamplingDefaults(1.5, null, null))) {
            assertThat(answers(runtime, "")).hasSize(1);
            assertThat(answers(runtime, ",\"top_k\":0")).hasSizeGreaterThan(1);
        }
    }
}
