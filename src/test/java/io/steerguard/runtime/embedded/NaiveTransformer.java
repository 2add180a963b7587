package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The specification of the forward pass: plain loops over float arrays, double accumulation, no
 * KV cache (every call recomputes the whole sequence), no DJL. It reads config.json itself and
 * the weights through {@link Safetensors#read}, so it shares no numeric code with {@link Transformer}.
 */
final class NaiveTransformer {

    /** Logits at every position, and the residual after each layer at the last prompt token. */
    record Result(float[][] logits, Map<Integer, float[]> residualAtLastPrompt) {
    }

    private final Map<String, Tensor> w = new HashMap<>();
    private final int hidden, layers, heads, kvHeads, headDim, inter, vocab;
    private final double eps;
    private final double[] invFreq;
    private final boolean tied, bias;

    NaiveTransformer(Path dir) {
        try {
            JsonNode c = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            hidden = c.get("hidden_size").asInt();
            layers = c.get("num_hidden_layers").asInt();
            heads = c.get("num_attention_heads").asInt();
            kvHeads = c.get("num_key_value_heads").asInt();
            headDim = hidden / heads;
            inter = c.get("intermediate_size").asInt();
            vocab = c.get("vocab_size").asInt();
            eps = c.get("rms_norm_eps").asDouble();
            tied = c.get("tie_word_embeddings").asBoolean();
            bias = c.get("architectures").get(0).asText().equals("Qwen2ForCausalLM");
            invFreq = invFreq(c.get("rope_theta").asDouble(), c.get("rope_scaling"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                    w.putAll(Safetensors.read(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private double[] invFreq(double theta, JsonNode scaling) {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            double base = Math.pow(theta, -2.0 * i / headDim);
            f[i] = base;
            if (scaling != null && !scaling.isNull()) {
                double factor = scaling.get("factor").asDouble();
                double low = scaling.get("low_freq_factor").asDouble();
                double high = scaling.get("high_freq_factor").asDouble();
                double old = scaling.get("original_max_position_embeddings").asDouble();
                double wavelen = 2 * Math.PI / base;
                if (wavelen < old / high) {
                    f[i] = base;
                } else if (wavelen > old / low) {
                    f[i] = base / factor;
                } else {
                    double smooth = (old / wavelen - low) / (high - low);
                    f[i] = (1 - smooth) * base / factor + smooth * base;
                }
            }
        }
        return f;
    }

    Result forward(int[] tokens, int promptLength, SteeringSpec steering) {
        int n = tokens.length;
        float[][] h = new float[n][];
        for (int t = 0; t < n; t++) {
            h[t] = row(w.get("model.embed_tokens.weight"), tokens[t]);
        }
        Map<Integer, float[]> captured = new HashMap<>();
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            float[][] q = new float[n][], k = new float[n][], v = new float[n][];
            for (int t = 0; t < n; t++) {
                float[] x = rmsNorm(h[t], w.get(p + "input_layernorm.weight"));
                q[t] = rope(linear(x, p + "self_attn.q_proj"), t, heads);
                k[t] = rope(linear(x, p + "self_attn.k_proj"), t, kvHeads);
                v[t] = linear(x, p + "self_attn.v_proj");
            }
            for (int t = 0; t < n; t++) {
                float[] att = new float[heads * headDim];
                for (int hd = 0; hd < heads; hd++) {
                    int kvh = hd / (heads / kvHeads);
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int j = 0; j < headDim; j++) {
                            dot += (double) q[t][hd * headDim + j] * k[s][kvh * headDim + j];
                        }
                        score[s] = dot / Math.sqrt(headDim);
                        max = Math.max(max, score[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        score[s] = Math.exp(score[s] - max);
                        sum += score[s];
                    }
                    for (int j = 0; j < headDim; j++) {
                        double acc = 0;
                        for (int s = 0; s <= t; s++) {
                            acc += score[s] / sum * v[s][kvh * headDim + j];
                        }
                        att[hd * headDim + j] = (float) acc;
                    }
                }
                add(h[t], linear(att, p + "self_attn.o_proj"));
                float[] x = rmsNorm(h[t], w.get(p + "post_attention_layernorm.weight"));
                float[] gate = linear(x, p + "mlp.gate_proj");
                float[] up = linear(x, p + "mlp.up_proj");
                float[] act = new float[inter];
                for (int i = 0; i < inter; i++) {
                    act[i] = (float) (gate[i] / (1 + Math.exp(-gate[i])) * up[i]);
                }
                add(h[t], linear(act, p + "mlp.down_proj"));
                steer(h[t], l, t, promptLength, steering);
            }
            captured.put(l, h[promptLength - 1].clone());
        }
        float[][] logits = new float[n][];
        Tensor head = tied ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
        for (int t = 0; t < n; t++) {
            logits[t] = matVec(head, rmsNorm(h[t], w.get("model.norm.weight")), null);
        }
        return new Result(logits, captured);
    }

    /** The steering semantics of SteeringSpec, entry by entry in spec order. */
    private static void steer(float[] h, int layer, int position, int promptLength, SteeringSpec spec) {
        for (SteeringSpec.Entry e : spec.entries()) {
            if (!e.layers().contains(layer) || !e.positions().applies(position, promptLength)) {
                continue;
            }
            float[] vec = e.directions().get(layer);
            if (e.operator() == SteeringOperator.ADD) {
                for (int i = 0; i < h.length; i++) {
                    h[i] += (float) (e.coefficient() * vec[i]);
                }
            } else {
                double norm = 0;
                for (float x : vec) {
                    norm += (double) x * x;
                }
                norm = Math.sqrt(norm);
                double proj = 0;
                for (int i = 0; i < h.length; i++) {
                    proj += h[i] * vec[i] / norm;
                }
                double z = e.operator() == SteeringOperator.PROJECT_TO ? e.target() : 0;
                for (int i = 0; i < h.length; i++) {
                    h[i] += (float) ((z - proj) * vec[i] / norm);
                }
            }
        }
    }

    private float[] rmsNorm(float[] x, Tensor weight) {
        double ms = 0;
        for (float v : x) {
            ms += (double) v * v;
        }
        double inv = 1 / Math.sqrt(ms / x.length + eps);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] * inv * weight.values()[i]);
        }
        return out;
    }

    /** HF rotate-half RoPE on every head of x at position pos. */
    private float[] rope(float[] x, int pos, int nHeads) {
        float[] out = new float[x.length];
        int half = headDim / 2;
        for (int hd = 0; hd < nHeads; hd++) {
            int o = hd * headDim;
            for (int j = 0; j < half; j++) {
                double a = pos * invFreq[j];
                double x1 = x[o + j], x2 = x[o + j + half];
                out[o + j] = (float) (x1 * Math.cos(a) - x2 * Math.sin(a));
                out[o + j + half] = (float) (x2 * Math.cos(a) + x1 * Math.sin(a));
            }
        }
        return out;
    }

    private float[] linear(float[] x, String name) {
        return matVec(w.get(name + ".weight"), x, bias && !name.endsWith("o_proj") && name.contains("self_attn")
                ? w.get(name + ".bias") : null);
    }

    private static float[] matVec(Tensor m, float[] x, Tensor b) {
        int rows = (int) m.shape()[0];
        int cols = (int) m.shape()[1];
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            double acc = b == null ? 0 : b.values()[r];
            for (int c = 0; c < cols; c++) {
                acc += (double) m.values()[r * cols + c] * x[c];
            }
            out[r] = (float) acc;
        }
        return out;
    }

    private static float[] row(Tensor m, int r) {
        int cols = (int) m.shape()[1];
        return java.util.Arrays.copyOfRange(m.values(), r * cols, (r + 1) * cols);
    }

    private static void add(float[] h, float[] delta) {
        for (int i = 0; i < h.length; i++) {
            h[i] += delta[i];
        }
    }

    int vocab() {
        return vocab;
    }

    List<Integer> layerIndices() {
        return java.util.stream.IntStream.range(0, layers).boxed().toList();
    }
}
