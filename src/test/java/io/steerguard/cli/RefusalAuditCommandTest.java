package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.djl.DjlOffline;
import io.steerguard.runtime.embedded.ModelTokenizer;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorMath;
import io.steerguard.steering.VectorSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RefusalDirectionCommand} then {@link AuditCommand} on {@code models/tiny-random}, through
 * the files they write: a vector equal to {@code -r^} audits at cosine -1 and its refusal-ablated
 * export at cosine 0.
 */
class RefusalAuditCommandTest {

    static final Path MODEL = Path.of("models/tiny-random");

    @TempDir
    static Path tmp;
    static Path refusalFile;
    static RefusalDirection refusal;
    static String refusalOut;

    record Run(int exit, String out, String err) {
    }

    interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    static Run run(Command command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void computeRefusalDirection() {
        DjlOffline.ensure();
        Run run = run(RefusalDirectionCommand::run, "--model", MODEL.toString(), "--out-dir", tmp.toString(),
                "--limit", "24", "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        refusalOut = run.out();
        refusalFile = tmp.resolve(RefusalDirection.FILE_NAME);
        refusal = RefusalDirection.read(refusalFile);
    }

    static float[] unitRefusal(int layer) {
        return refusal.unit(layer);
    }

    static float[] scaled(float[] v, double s) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * s);
        }
        return out;
    }

    static JsonNode auditJson(String... args) throws IOException {
        Run run = run(AuditCommand::run, args);
        assertThat(run.exit()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void refusalDirection_coversEveryLayer_andStoresTheFirstTokensOfRefusals() throws IOException {
        assertThat(refusal.directions().layers()).containsExactly(0, 1, 2, 3);
        assertThat(refusal.directions().modelHint()).isEqualTo("llama");
        try (ModelTokenizer tokenizer = ModelTokenizer.load(MODEL)) {
            assertThat(refusal.refusalTokenIds()).contains(tokenizer.encode("I")[0], tokenizer.encode("Sorry")[0],
                    tokenizer.encode("As")[0]);
        }
        assertThat(refusalOut).contains("wrote " + refusalFile).contains("refusal tokens:");
    }

    @Test
    void vectorEqualToMinusRefusalDirection_auditsAtCosineMinusOne_andFailsOnRisk() throws IOException {
        Path vector = tmp.resolve("minus-r.gguf");
        VectorFiles.write(VectorSet.of("llama", Map.of(1, scaled(unitRefusal(1), -1), 2, scaled(unitRefusal(2), -1))),
                vector);

        JsonNode report = auditJson("--vector", vector.toString(), "--model", MODEL.toString(), "--refusal",
                refusalFile.toString(), "--json", "--device", "cpu");

        assertThat(report.get("verdict").asText()).isEqualTo("raises-jailbreak-risk");
        assertThat(report.get("layers")).hasSize(2);
        for (JsonNode layer : report.get("layers")) {
            assertThat(layer.get("cosine").asDouble()).isCloseTo(-1.0, within(1e-6));
            assertThat(layer.get("norm").asDouble()).isCloseTo(1.0, within(1e-6));
            assertThat(layer.get("relativeNorm").asDouble()).isPositive().isFinite();
        }
        Run failOnRisk = run(AuditCommand::run, "--vector", vector.toString(), "--model", MODEL.toString(),
                "--refusal", refusalFile.toString(), "--fail-on-risk", "--device", "cpu");
        assertThat(failOnRisk.exit()).isEqualTo(AuditCommand.RISK);
        assertThat(failOnRisk.out()).contains("raises-jailbreak-risk");
    }

    @Test
    void negativeCoefficient_flipsTheCosine() throws IOException {
        Path vector = tmp.resolve("minus-r-layer3.gguf");
        VectorFiles.write(VectorSet.of("llama", Map.of(3, scaled(unitRefusal(3), -2))), vector);

        JsonNode report = auditJson("--vector", vector.toString(), "--model", MODEL.toString(), "--refusal",
                refusalFile.toString(), "--coefficient", "-1.5", "--json", "--device", "cpu");

        assertThat(report.get("layers").get(0).get("cosine").asDouble()).isCloseTo(1.0, within(1e-6));
        assertThat(report.get("verdict").asText()).isEqualTo("raises-over-refusal");
    }

    @Test
    void exportedAblatedVariant_hasCosineZero_andKeepsTheOrthogonalPart() throws IOException {
        Random rnd = new Random(5);
        TreeMap<Integer, float[]> directions = new TreeMap<>();
        for (int layer : new int[] {1, 2, 3}) {
            float[] v = scaled(unitRefusal(layer), -3);
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) rnd.nextGaussian() * 0.2f;
            }
            directions.put(layer, v);
        }
        Path vector = tmp.resolve("leaning.gguf");
        VectorFiles.write(new VectorSet("llama", directions, "test"), vector);
        Path ablatedFile = tmp.resolve("leaning.ablated.gguf");

        Run run = run(AuditCommand::run, "--vector", vector.toString(), "--layers", "1,2,3", "--model",
                MODEL.toString(), "--refusal", refusalFile.toString(), "--export-ablated", ablatedFile.toString(),
                "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("raises-jailbreak-risk");

        VectorSet ablated = VectorFiles.read(ablatedFile);
        assertThat(ablated.layers()).containsExactly(1, 2, 3);
        for (int layer : ablated.layers()) {
            float[] u = unitRefusal(layer);
            float[] v = directions.get(layer);
            double along = VectorMath.dot(v, u);
            float[] a = ablated.direction(layer);
            assertThat(VectorMath.cosine(a, refusal.directions().direction(layer))).isCloseTo(0.0, within(1e-5));
            for (int i = 0; i < a.length; i++) {
                assertThat((double) a[i]).isCloseTo(v[i] - along * u[i], within(1e-5));
            }
        }
        JsonNode report = auditJson("--vector", ablatedFile.toString(), "--model", MODEL.toString(), "--refusal",
                refusalFile.toString(), "--json", "--device", "cpu");
        assertThat(report.get("verdict").asText()).isEqualTo("neutral");
        for (JsonNode layer : report.get("layers")) {
            assertThat(layer.get("cosine").asDouble()).isCloseTo(0.0, within(1e-5));
        }
    }

    @Test
    void profileDocument_isAuditedEntryByEntry_withItsCoefficients() throws IOException {
        Path vector = tmp.resolve("profile-minus-r.gguf");
        VectorFiles.write(VectorSet.of("llama", Map.of(2, scaled(unitRefusal(2), -1))), vector);
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("profile.yaml"), """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: tiny}
                spec: {type: embedded, model: %s, device: cpu}
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: leaning}
                spec:
                  runtime: tiny
                  vectors:
                    - {file: %s, layers: [2], coefficient: 2.0}
                    - {file: %s, layers: [2], coefficient: -1.0}
                """.formatted(MODEL.toAbsolutePath(), vector, vector));

        JsonNode report = auditJson("--config", config.toString(), "--profile", "leaning", "--refusal",
                refusalFile.toString(), "--json", "--device", "cpu");

        assertThat(report.get("subject").asText()).isEqualTo("profile leaning");
        assertThat(report.get("layers").get(0).get("cosine").asDouble()).isCloseTo(-1.0, within(1e-6));
        assertThat(report.get("layers").get(1).get("cosine").asDouble()).isCloseTo(1.0, within(1e-6));
        double rel0 = report.get("layers").get(0).get("relativeNorm").asDouble();
        double rel1 = report.get("layers").get(1).get("relativeNorm").asDouble();
        assertThat(rel0).isCloseTo(2 * rel1, within(1e-9));
    }

    @Test
    void missingRefusalDirection_saysHowToComputeIt() {
        Run run = run(AuditCommand::run, "--vector", "models/tiny-random/vectors/random-direction.gguf", "--model",
                MODEL.toString(), "--refusal", tmp.resolve("nowhere.safetensors").toString());

        assertThat(run.exit()).isEqualTo(AuditCommand.FAILURE);
        assertThat(run.err()).contains("no refusal direction").contains("refusal-direction --model");
    }

    @Test
    void unknownProfile_isAUsageError_listingTheProfiles() throws IOException {
        Path config = Files.createDirectories(tmp.resolve("config-unknown"));
        Files.writeString(config.resolve("profile.yaml"), """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: tiny}
                spec: {type: embedded, model: %s}
                """.formatted(MODEL.toAbsolutePath()));

        Run run = run(AuditCommand::run, "--config", config.toString(), "--profile", "ghost");

        assertThat(run.exit()).isEqualTo(AuditCommand.USAGE);
        assertThat(run.err()).contains("no SteeringProfile named 'ghost'");
    }
}
