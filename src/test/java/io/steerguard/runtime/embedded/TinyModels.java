package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes small random decoder models in Hugging Face layout ({@code config.json} and safetensors
 * written by our own {@link Safetensors}), for every family and dtype the runtime supports.
 */
final class TinyModels {

    /** What to generate. */
    record Spec(ModelConfig.Family family, TensorType dtype, int hidden, int layers, int heads, int kvHeads,
                int intermediate, int vocab, boolean tied, boolean llama3RopeScaling, int shards, long seed) {

        static Spec of(ModelConfig.Family family, TensorType dtype) {
            return new Spec(family, dtype, 48, 3, 4, family == ModelConfig.Family.LLAMA ? 2 : 1, 96, 97,
                    family == ModelConfig.Family.QWEN2, family == ModelConfig.Family.LLAMA, 1, 42);
        }

        Spec withShards(int n) {
            return new Spec(family, dtype, hidden, layers, heads, kvHeads, intermediate, vocab, tied, llama3RopeScaling, n, seed);
        }

        Spec withTied(boolean t) {
            return new Spec(family, dtype, hidden, layers, heads, kvHeads, intermediate, vocab, t, llama3RopeScaling, shards, seed);
        }

        Spec withVocab(int v) {
            return new Spec(family, dtype, hidden, layers, heads, kvHeads, intermediate, v, tied, llama3RopeScaling, shards, seed);
        }

        Spec withSeed(long s) {
            return new Spec(family, dtype, hidden, layers, heads, kvHeads, intermediate, vocab, tied, llama3RopeScaling, shards, s);
        }
    }

    private TinyModels() {
    }

    /** A small Llama (F32, GQA, untied) for engine and runtime tests. */
    static Path llama(Path dir) {
        return write(dir, Spec.of(ModelConfig.Family.LLAMA, TensorType.F32));
    }

    static Path write(Path dir, Spec spec) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("config.json"), configJson(spec));
            List<Map<String, Tensor>> shards = new ArrayList<>();
            for (int i = 0; i < spec.shards(); i++) {
                shards.add(new LinkedHashMap<>());
            }
            Map<String, Tensor> all = tensors(spec);
            int i = 0;
            for (Map.Entry<String, Tensor> e : all.entrySet()) {
                shards.get(i++ % spec.shards()).put(e.getKey(), e.getValue());
            }
            if (spec.shards() == 1) {
                Safetensors.write(dir.resolve("model.safetensors"), shards.get(0), Map.of("format", "pt"));
            } else {
                Safetensors.writeSharded(dir, shards);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] configJson(Spec s) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add(s.family().architecture());
        c.put("model_type", s.family().name().toLowerCase());
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.intermediate());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("vocab_size", s.vocab());
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", s.family() == ModelConfig.Family.QWEN2 ? 1000000.0 : 10000.0);
        c.put("max_position_embeddings", 256);
        c.put("tie_word_embeddings", s.tied());
        c.put("hidden_act", "silu");
        c.put("torch_dtype", switch (s.dtype()) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        });
        if (s.llama3RopeScaling()) {
            // original context 16 so the interpolation band covers this tiny head size's wavelengths
            c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0)
                    .put("low_freq_factor", 1.0).put("high_freq_factor", 4.0)
                    .put("original_max_position_embeddings", 16);
        }
        if (s.family() == ModelConfig.Family.MISTRAL) {
            c.put("sliding_window", 4096);
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
    }

    /** Random weights scaled like a trained model's: rows with unit-ish output variance, norms near 1. */
    static Map<String, Tensor> tensors(Spec s) {
        SplittableRandom rnd = new SplittableRandom(s.seed());
        int headDim = s.hidden() / s.heads();
        int q = s.heads() * headDim;
        int kv = s.kvHeads() * headDim;
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("model.embed_tokens.weight", matrix(rnd, s, s.vocab(), s.hidden(), 1.0));
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", norm(rnd, s));
            t.put(p + "self_attn.q_proj.weight", matrix(rnd, s, q, s.hidden(), 1 / Math.sqrt(s.hidden())));
            t.put(p + "self_attn.k_proj.weight", matrix(rnd, s, kv, s.hidden(), 1 / Math.sqrt(s.hidden())));
            t.put(p + "self_attn.v_proj.weight", matrix(rnd, s, kv, s.hidden(), 1 / Math.sqrt(s.hidden())));
            if (s.family() == ModelConfig.Family.QWEN2) {
                t.put(p + "self_attn.q_proj.bias", vector(rnd, s, q, 0.1));
                t.put(p + "self_attn.k_proj.bias", vector(rnd, s, kv, 0.1));
                t.put(p + "self_attn.v_proj.bias", vector(rnd, s, kv, 0.1));
            }
            t.put(p + "self_attn.o_proj.weight", matrix(rnd, s, s.hidden(), q, 1 / Math.sqrt(q)));
            t.put(p + "post_attention_layernorm.weight", norm(rnd, s));
            t.put(p + "mlp.gate_proj.weight", matrix(rnd, s, s.intermediate(), s.hidden(), 1 / Math.sqrt(s.hidden())));
            t.put(p + "mlp.up_proj.weight", matrix(rnd, s, s.intermediate(), s.hidden(), 1 / Math.sqrt(s.hidden())));
            t.put(p + "mlp.down_proj.weight", matrix(rnd, s, s.hidden(), s.intermediate(), 1 / Math.sqrt(s.intermediate())));
        }
        t.put("model.norm.weight", norm(rnd, s));
        if (!s.tied()) {
            t.put("lm_head.weight", matrix(rnd, s, s.vocab(), s.hidden(), 1 / Math.sqrt(s.hidden())));
        }
        return t;
    }

    private static Tensor matrix(SplittableRandom rnd, Spec s, int rows, int cols, double std) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(rnd) * std);
        }
        return new Tensor(s.dtype(), new long[]{rows, cols}, v);
    }

    private static Tensor vector(SplittableRandom rnd, Spec s, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian(rnd) * std);
        }
        return new Tensor(s.dtype(), new long[]{n}, v);
    }

    private static Tensor norm(SplittableRandom rnd, Spec s) {
        float[] v = new float[s.hidden()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (1 + 0.1 * gaussian(rnd));
        }
        return new Tensor(s.dtype(), new long[]{s.hidden()}, v);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
