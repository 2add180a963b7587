package io.steerguard.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.VectorSet;
import io.steerguard.tenant.ApiKeys;

/**
 * A copy of {@code models/tiny-random} under {@code target/} with a refusal-direction file (random
 * directions at layers 1..3, no layer named, so the tier picks layer 2), served by runtime
 * {@code tiny-act}: profile {@code tiny-act-steered} is mirrored at 100% by policy
 * {@code test-tiny-act}; profile {@code tiny-act-quiet} is selected by no policy, so it is never
 * sampled. Tenant {@code lab} may use both. The committed model folder is never written.
 */
final class ActivationTestModel {

    static final String LAB_KEY = "sk-lab-test-key";
    static final int[] REFUSAL_IDS = {5, 17, 40};
    static final int EXPECTED_LAYER = 2;
    static final Map<Integer, float[]> DIRECTIONS = directions();

    private ActivationTestModel() {
    }

    private static Map<Integer, float[]> directions() {
        Random random = new Random(11);
        Map<Integer, float[]> d = new TreeMap<>();
        for (int layer = 1; layer <= 3; layer++) {
            float[] v = new float[64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            d.put(layer, v);
        }
        return d;
    }

    /** Copies the model, writes its refusal direction and the documents into {@code configDir}. */
    static void write(Path configDir) {
        try {
            Path root = Files.createDirectories(Path.of("target", "activation-test")).toAbsolutePath();
            Path model = Files.createTempDirectory(root, "tiny-act-");
            copyTree(Path.of("models", "tiny-random"), model);
            new RefusalDirection(VectorSet.of("", DIRECTIONS), Set.of(5, 17, 40))
                    .write(model.resolve("vectors").resolve(RefusalDirection.FILE_NAME));
            Files.writeString(configDir.resolve("activation.yaml"), documents(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String documents(Path model) {
        return """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: tiny-act}
                spec: {type: embedded, model: "%1$s", device: cpu, maxBatch: 2, maxContext: 128}
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: tiny-act-steered}
                spec:
                  runtime: tiny-act
                  vectors: [{file: "%1$s/vectors/random-direction.gguf", layers: [1, 2], coefficient: 4.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: tiny-act-quiet}
                spec:
                  runtime: tiny-act
                  vectors: [{file: "%1$s/vectors/random-direction.gguf", layers: [1], coefficient: 2.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: test-tiny-act}
                spec:
                  selector: {profiles: [tiny-act-steered]}
                  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 8}
                  limits: {maxExternalityRate: 1.0}
                  action: alert
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: lab}
                spec:
                  apiKeys: [{sha256: %2$s}]
                  models:
                    tiny-act: {defaultProfile: tiny-act-steered, allowedProfiles: [tiny-act-quiet, unsteered]}
                """.formatted(model, ApiKeys.sha256Hex(LAB_KEY));
    }
}
