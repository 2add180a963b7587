package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.djl.DjlOffline;
import io.steerguard.runtime.embedded.ModelTokenizer;
import io.steerguard.runtime.embedded.PlantedDirectionModel;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorMath;
import io.steerguard.steering.VectorSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeriveCommand} end to end through the embedded runtime, on tiny models with a planted
 * direction: positives end in a marker token whose embedding exceeds the negatives' marker by a
 * known {@code d}, so every method must recover {@code d} with the right sign - when, and only
 * when, it reads the activations at the right token.
 */
class DeriveCommandTest {

    private static final List<String> TOPICS = List.of("the weather in spring", "how bread rises",
            "a short poem about rivers", "why the sky is blue", "three facts about owls", "the rules of chess",
            "how to fold a paper plane", "what a compiler does", "tips for a long walk", "the history of tea",
            "how tides work", "a name for a small boat");

    @TempDir
    static Path tmp;
    static PlantedDirectionModel.Planted plain;
    static PlantedDirectionModel.Planted chat;

    @BeforeAll
    static void models() {
        DjlOffline.ensure();
        plain = PlantedDirectionModel.write(tmp.resolve("plain"), false, 11);
        chat = PlantedDirectionModel.write(tmp.resolve("chat"), true, 12);
    }

    record Run(int exit, String out, String err) {
    }

    static Run derive(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DeriveCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Prompt pairs that differ only in the marker at their very end. */
    static Path promptPairs(String name) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String topic : TOPICS) {
            sb.append(String.format("{\"positive\": \"Tell me about %s X\", \"negative\": \"Tell me about %s Y\"}%n",
                    topic, topic));
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    /** One prompt and two completions whose last tokens are the markers; the completions also differ in wording. */
    static Path completions(String name) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String topic : TOPICS) {
            sb.append(String.format("{\"id\": \"c\", \"prompt\": \"Tell me about %s.\", \"positive\": \"Sure, here it is X\", "
                    + "\"negative\": \"No Y\"}%n", topic));
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    static void assertRecovers(VectorSet vectors, float[] planted, List<Integer> layers) {
        assertThat(vectors.layers()).isEqualTo(layers);
        for (int layer : layers) {
            assertThat(VectorMath.cosine(vectors.direction(layer), planted)).as("cosine at layer " + layer)
                    .isGreaterThan(0.99);
        }
    }

    @Test
    void meanDiff_onPromptPairs_recoversThePlantedDirection_withTheRightSign_atEveryLayer() throws IOException {
        Path out = tmp.resolve("mean-diff.safetensors");
        Path report = tmp.resolve("mean-diff.report.json");
        Run run = derive("--model", plain.dir().toString(), "--data", promptPairs("pairs.jsonl").toString(),
                "--method", "mean-diff", "--out", out.toString(), "--report", report.toString(), "--device", "cpu",
                "--batch", "4");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("captured 24/24 prompts");
        assertRecovers(VectorFiles.read(out), plain.direction(), List.of(0, 1, 2, 3));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("method").asText()).isEqualTo("mean-diff");
        assertThat(json.get("capturePosition").asText()).isEqualTo("last_prompt_token");
        assertThat(json.get("positives").asInt()).isEqualTo(TOPICS.size());
        assertThat(json.get("layersWritten")).hasSize(4);
        assertThat(json.get("layers").get(2).get("midpointAccuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void caa_onCompletions_recoversThePlantedDirection_throughTheChatTemplate_andLeavesLayer0OutOfGguf()
            throws IOException {
        Path out = tmp.resolve("caa.gguf");
        Run run = derive("--model", chat.dir().toString(), "--data", completions("caa.jsonl").toString(),
                "--method", "caa", "--out", out.toString(), "--device", "cpu");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("layer 0 cannot be written to GGUF");
        assertThat(run.out()).contains("caa at answer_token, layers [1, 2, 3]");
        assertRecovers(VectorFiles.read(out), chat.direction(), List.of(1, 2, 3));
    }

    @Test
    void pca_onCompletions_pointsTowardThePositives() throws IOException {
        Path out = tmp.resolve("pca.json");
        Run run = derive("--model", chat.dir().toString(), "--data", completions("pca.jsonl").toString(),
                "--method", "pca", "--layers", "2,3", "--out", out.toString(), "--device", "cpu",
                "--model-hint", "planted");

        assertThat(run.exit()).as(run.err()).isZero();
        VectorSet vectors = VectorFiles.read(out);
        assertRecovers(vectors, chat.direction(), List.of(2, 3));
        assertThat(vectors.modelHint()).isEqualTo("planted");
        assertThat(VectorMath.norm(vectors.direction(2))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void derivedVector_equalsTheMeanDifference_ofReferenceActivations_atTheLastPromptToken() throws IOException {
        String data = """
                {"positive": "Hello world X", "negative": "Hello world Y"}
                {"positive": "What is the time? X", "negative": "Is it late Y"}
                {"positive": "Count to three X", "negative": "Count to four, slowly Y"}
                """;
        Path out = tmp.resolve("reference.safetensors");
        Run run = derive("--model", plain.dir().toString(), "--data", Files.writeString(tmp.resolve("ref.jsonl"), data)
                .toString(), "--method", "mean-diff", "--layers", "1,3", "--out", out.toString(), "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();

        // The same difference of means from the plain-loop reference transformer, token ids built by hand.
        List<String[]> pairs = List.of(new String[] {"Hello world X", "Hello world Y"},
                new String[] {"What is the time? X", "Is it late Y"},
                new String[] {"Count to three X", "Count to four, slowly Y"});
        VectorSet derived = VectorFiles.read(out);
        try (ModelTokenizer tokenizer = ModelTokenizer.load(plain.dir())) {
            for (int layer : List.of(1, 3)) {
                double[] expected = new double[PlantedDirectionModel.HIDDEN];
                for (String[] pair : pairs) {
                    Map<Integer, float[]> pos = PlantedDirectionModel.referenceResiduals(plain.dir(),
                            tokenizer.encodePrompt(pair[0]));
                    Map<Integer, float[]> neg = PlantedDirectionModel.referenceResiduals(plain.dir(),
                            tokenizer.encodePrompt(pair[1]));
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] += (pos.get(layer)[i] - neg.get(layer)[i]) / pairs.size();
                    }
                }
                float[] v = derived.direction(layer);
                for (int i = 0; i < expected.length; i++) {
                    assertThat((double) v[i]).as("layer " + layer + " component " + i).isCloseTo(expected[i], within(1e-3));
                }
            }
        }
    }

    @Test
    void meanDiff_onCompletions_isAUsageError_namingTheMethodsThatFit() throws IOException {
        Run run = derive("--model", chat.dir().toString(), "--data", completions("wrong.jsonl").toString(),
                "--method", "mean-diff", "--out", tmp.resolve("x.gguf").toString());

        assertThat(run.exit()).isEqualTo(DeriveCommand.USAGE);
        assertThat(run.err()).contains("use caa or pca");
    }

    @Test
    void onlyLayer0_intoGguf_isRefused_withTheSafetensorsAlternative() throws IOException {
        Path out = tmp.resolve("zero.gguf");
        Run run = derive("--model", plain.dir().toString(), "--data", promptPairs("zero.jsonl").toString(),
                "--method", "mean-diff", "--layers", "0", "--out", out.toString(), "--device", "cpu");

        assertThat(run.exit()).isEqualTo(DeriveCommand.USAGE);
        assertThat(run.err()).contains("layer 0 cannot be written to GGUF").contains("zero.safetensors");
        assertThat(out).doesNotExist();
    }

    @Test
    void badArguments_areUsageErrors() throws IOException {
        Path data = promptPairs("args.jsonl");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"--model", plain.dir().toString(), "--data", data.toString(), "--method", "mean-diff"});
        cases.add(new String[] {"--model", plain.dir().toString(), "--data", data.toString(), "--method", "median",
                "--out", "x.gguf"});
        cases.add(new String[] {"--model", plain.dir().toString(), "--data", data.toString(), "--method", "pca",
                "--out", "x.bin"});
        cases.add(new String[] {"--model", plain.dir().toString(), "--data", data.toString(), "--method", "pca",
                "--out", tmp.resolve("x.gguf").toString(), "--layers", "7", "--device", "cpu"});
        cases.add(new String[] {"--model", plain.dir().toString(), "--frobnicate", "yes"});
        for (String[] args : cases) {
            assertThat(derive(args).exit()).as(String.join(" ", args)).isEqualTo(DeriveCommand.USAGE);
        }
    }
}
