package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture of a decoder-only transformer, read from a Hugging Face {@code config.json}.
 *
 * @param family             which supported family the {@code architectures} entry names
 * @param hiddenSize         width of the residual stream
 * @param intermediateSize   width of the SwiGLU hidden layer
 * @param numLayers          decoder layers
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (grouped-query attention when fewer than query heads)
 * @param headDim            width of one head
 * @param vocabSize          rows of the embedding and the LM head
 * @param rmsNormEps         epsilon inside RMSNorm's square root
 * @param ropeTheta          RoPE base
 * @param ropeScaling        Llama-3 frequency scaling, or {@code null}
 * @param tieWordEmbeddings  whether the LM head reuses the embedding matrix
 * @param qkvBias            whether q/k/v projections carry a bias (Qwen2)
 * @param maxPositions       {@code max_position_embeddings}
 * @param slidingWindow      attention window for Mistral models, 0 when attention is global
 */
public record ModelConfig(Family family, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                          int numKvHeads, int headDim, int vocabSize, double rmsNormEps, double ropeTheta,
                          RopeScaling ropeScaling, boolean tieWordEmbeddings, boolean qkvBias, int maxPositions,
                          int slidingWindow) {

    /** Supported model families by their {@code architectures} class name. */
    public enum Family {
        LLAMA("LlamaForCausalLM"), MISTRAL("MistralForCausalLM"), QWEN2("Qwen2ForCausalLM");

        private final String architecture;

        Family(String architecture) {
            this.architecture = architecture;
        }

        public String architecture() {
            return architecture;
        }
    }

    /** Llama-3.x {@code rope_scaling} with {@code rope_type: llama3}. */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        public RopeScaling {
            if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalMaxPositions < 1) {
                throw new IllegalArgumentException("rope_scaling needs factor > 0, 0 < low_freq_factor < "
                        + "high_freq_factor and original_max_position_embeddings >= 1");
            }
        }
    }

    public ModelConfig {
        if (family == null) {
            throw new IllegalArgumentException("family must not be null");
        }
        positive(hiddenSize, "hidden_size");
        positive(intermediateSize, "intermediate_size");
        positive(numLayers, "num_hidden_layers");
        positive(numHeads, "num_attention_heads");
        positive(numKvHeads, "num_key_value_heads");
        positive(headDim, "head_dim");
        positive(vocabSize, "vocab_size");
        positive(maxPositions, "max_position_embeddings");
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
            throw new IllegalArgumentException("rms_norm_eps and rope_theta must be positive");
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("sliding_window must not be negative");
        }
    }

    private static void positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + v);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code config.json} of a model folder. */
    public static ModelConfig load(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(modelDir, "missing config.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(modelDir, "config.json is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return parse(modelDir, root);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(modelDir, "config.json: " + e.getMessage(), e);
        }
    }

    static ModelConfig parse(Path modelDir, JsonNode c) {
        Family family = family(modelDir, c);
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new ModelLoadException(modelDir, "config.json: hidden_act '" + act + "' is not supported (only silu)");
        }
        if (family == Family.LLAMA && (c.path("attention_bias").asBoolean(false) || c.path("mlp_bias").asBoolean(false))) {
            throw new ModelLoadException(modelDir, "config.json: attention_bias / mlp_bias are not supported for Llama");
        }
        int hidden = required(modelDir, c, "hidden_size");
        int heads = required(modelDir, c, "num_attention_heads");
        int kvHeads = c.path("num_key_value_heads").asInt(heads);
        int headDim = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : hidden / heads;
        int sliding = 0;
        if (family == Family.MISTRAL || c.path("use_sliding_window").asBoolean(false)) {
            sliding = c.path("sliding_window").asInt(0);
        }
        return new ModelConfig(family, hidden, required(modelDir, c, "intermediate_size"),
                required(modelDir, c, "num_hidden_layers"), heads, kvHeads, headDim,
                required(modelDir, c, "vocab_size"), c.path("rms_norm_eps").asDouble(1e-6),
                c.path("rope_theta").asDouble(10000.0), ropeScaling(modelDir, c.get("rope_scaling")),
                c.path("tie_word_embeddings").asBoolean(false), family == Family.QWEN2,
                c.path("max_position_embeddings").asInt(2048), sliding);
    }

    private static Family family(Path modelDir, JsonNode c) {
        JsonNode archs = c.get("architectures");
        String arch = archs != null && archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
        if (arch == null) {
            throw new ModelLoadException(modelDir, "config.json has no architectures entry");
        }
        for (Family f : Family.values()) {
            if (f.architecture.equals(arch)) {
                return f;
            }
        }
        throw new ModelLoadException(modelDir, "config.json: unknown architecture '" + arch
                + "'; supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM");
    }

    private static int required(Path modelDir, JsonNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new ModelLoadException(modelDir, "config.json: missing or non-integer " + field);
        }
        return n.asInt();
    }

    private static RopeScaling ropeScaling(Path modelDir, JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        String type = s.path("rope_type").asText(s.path("type").asText(""));
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw new ModelLoadException(modelDir, "config.json: rope_scaling type '" + type
                    + "' is not supported (only llama3)");
        }
        return new RopeScaling(s.path("factor").asDouble(), s.path("low_freq_factor").asDouble(),
                s.path("high_freq_factor").asDouble(), s.path("original_max_position_embeddings").asInt());
    }

    /**
     * RoPE inverse frequencies {@code theta^(-2i/d)} for {@code i < d/2}, with Llama-3 scaling:
     * wavelengths shorter than {@code original/high_freq_factor} are kept, longer than
     * {@code original/low_freq_factor} are divided by {@code factor}, and the band between is
     * interpolated linearly in {@code original/wavelength}.
     */
    public double[] ropeInverseFrequencies() {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
            if (ropeScaling != null) {
                RopeScaling r = ropeScaling;
                double wavelen = 2 * Math.PI / inv[i];
                double lowWavelen = r.originalMaxPositions() / r.lowFreqFactor();
                double highWavelen = r.originalMaxPositions() / r.highFreqFactor();
                if (wavelen > lowWavelen) {
                    inv[i] = inv[i] / r.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (r.originalMaxPositions() / wavelen - r.lowFreqFactor())
                            / (r.highFreqFactor() - r.lowFreqFactor());
                    inv[i] = (1 - smooth) * inv[i] / r.factor() + smooth * inv[i];
                }
            }
        }
        return inv;
    }
}
