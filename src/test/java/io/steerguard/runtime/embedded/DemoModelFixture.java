package io.steerguard.runtime.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.steerguard.steering.ControlVectorGguf;
import io.steerguard.steering.VectorSet;

/**
 * Writes {@code models/tiny-random}: a 4-layer Llama with RANDOM weights, the byte-level test
 * tokenizer with a Llama-3-style chat template, and one random steering vector. It exists so the
 * gateway starts on its embedded default with nothing to download; its output is noise. Run
 * {@code main} to regenerate it; {@link DemoModelFixtureTest} checks the committed copy is what
 * this writes.
 */
public final class DemoModelFixture {

    static final long SEED = 7;

    private DemoModelFixture() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "models/tiny-random"));
    }

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        int vocab = TestTokenizers.writeByteLevel(dir);
        TinyModels.write(dir, new TinyModels.Spec(ModelConfig.Family.LLAMA, TensorType.F32, 64, 4, 4, 2, 128, vocab,
                false, false, 1, SEED));
        Path vectors = Files.createDirectories(dir.resolve("vectors"));
        Files.write(vectors.resolve("random-direction.gguf"), ControlVectorGguf.write(randomVector(64, SEED)));
    }

    /** A random direction for layers 1 and 2, norm 4: large enough to change this model's greedy output. */
    private static VectorSet randomVector(int hidden, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Integer, float[]> directions = new LinkedHashMap<>();
        for (int layer = 1; layer <= 2; layer++) {
            float[] v = new float[hidden];
            double norm = 0;
            for (int i = 0; i < hidden; i++) {
                v[i] = (float) (rnd.nextDouble() * 2 - 1);
                norm += v[i] * v[i];
            }
            float scale = (float) (4 / Math.sqrt(norm));
            for (int i = 0; i < hidden; i++) {
                v[i] *= scale;
            }
            directions.put(layer, v);
        }
        return VectorSet.of("llama", directions);
    }
}
