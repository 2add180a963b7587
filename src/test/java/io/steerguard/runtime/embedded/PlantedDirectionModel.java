package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.runtime.SteeringSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny Llama (byte-level tokenizer, 4 layers, hidden 64) with a planted direction: the embedding
 * rows of the marker tokens {@code 'X'} and {@code 'Y'} differ by a known vector {@code d}, and
 * every block writes only weakly into the residual stream (attention and MLP output projections
 * scaled down), so the residual at any layer at a position holding {@code X} exceeds the one at
 * {@code Y} by about {@code d}. Data whose positives end in {@code X} and negatives in {@code Y}
 * must therefore derive {@code d}, with the right sign, at every layer - but only when the
 * activations are read at the right token.
 */
public final class PlantedDirectionModel {

    /** Token id of the positive marker (byte-level: the byte itself). */
    public static final int POSITIVE_TOKEN = 'X';
    /** Token id of the negative marker. */
    public static final int NEGATIVE_TOKEN = 'Y';
    /** Hidden size and layer count of the model. */
    public static final int HIDDEN = 64;
    public static final int LAYERS = 4;
    /** |d|: a typical embedding row of this model has norm about 8. */
    private static final double PLANTED_NORM = 8;
    /** Factor on the output projections: how little each block writes into the residual stream. */
    private static final float WRITE_SCALE = 0.05f;

    /**
     * A written model folder.
     *
     * @param dir       the folder
     * @param direction the planted {@code d = emb[X] - emb[Y]}
     */
    public record Planted(Path dir, float[] direction) {
    }

    private PlantedDirectionModel() {
    }

    /**
     * Writes the model into {@code dir}.
     *
     * @param chatTemplate whether tokenizer_config.json keeps the header-style chat template; without
     *                     it prompts are plain text and the last prompt token is the user's last character
     */
    public static Planted write(Path dir, boolean chatTemplate, long seed) {
        try {
            Files.createDirectories(dir);
            int vocab = TestTokenizers.writeByteLevel(dir);
            if (!chatTemplate) {
                ObjectMapper json = new ObjectMapper();
                ObjectNode config = (ObjectNode) json.readTree(dir.resolve("tokenizer_config.json").toFile());
                config.remove("chat_template");
                json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
            }
            TinyModels.Spec spec = new TinyModels.Spec(ModelConfig.Family.LLAMA, TensorType.F32, HIDDEN, LAYERS, 4, 2,
                    128, vocab, false, false, 1, seed);
            Map<String, Tensor> tensors = new LinkedHashMap<>(TinyModels.tensors(spec));
            float[] d = plant(tensors, new SplittableRandom(seed + 1));
            for (int l = 0; l < LAYERS; l++) {
                scale(tensors, "model.layers." + l + ".self_attn.o_proj.weight");
                scale(tensors, "model.layers." + l + ".mlp.down_proj.weight");
            }
            Files.write(dir.resolve("config.json"), TinyModels.configJson(spec));
            Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            return new Planted(dir, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The residual after each layer at the last of {@code tokens}, computed by the plain-loop
     * reference transformer (no DJL, no KV cache), for checking what the runtime captured.
     */
    public static Map<Integer, float[]> referenceResiduals(Path dir, int[] tokens) {
        return new NaiveTransformer(dir).forward(tokens, tokens.length, SteeringSpec.none()).residualAtLastPrompt();
    }

    /** Sets the marker rows to {@code m +- d/2} around their mean {@code m}; returns {@code d}. */
    private static float[] plant(Map<String, Tensor> tensors, SplittableRandom rnd) {
        Tensor embed = tensors.get("model.embed_tokens.weight");
        float[] values = embed.values().clone();
        float[] d = new float[HIDDEN];
        double norm = 0;
        for (int i = 0; i < HIDDEN; i++) {
            d[i] = (float) (rnd.nextDouble() * 2 - 1);
            norm += d[i] * d[i];
        }
        for (int i = 0; i < HIDDEN; i++) {
            d[i] = (float) (d[i] * PLANTED_NORM / Math.sqrt(norm));
            int x = POSITIVE_TOKEN * HIDDEN + i;
            int y = NEGATIVE_TOKEN * HIDDEN + i;
            float mean = (values[x] + values[y]) / 2;
            values[x] = mean + d[i] / 2;
            values[y] = mean - d[i] / 2;
            d[i] = values[x] - values[y]; // exactly what is stored
        }
        tensors.put("model.embed_tokens.weight", new Tensor(embed.type(), embed.shape(), values));
        return d;
    }

    private static void scale(Map<String, Tensor> tensors, String name) {
        Tensor t = tensors.get(name);
        float[] v = t.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= WRITE_SCALE;
        }
        tensors.put(name, new Tensor(t.type(), t.shape(), v));
    }
}
