package io.steerguard.training;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.runtime.embedded.Safetensors;
import io.steerguard.runtime.embedded.Tensor;

import io.steerguard.runtime.SamplingDefaults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained model as a Hugging Face Llama folder ({@code config.json},
 * {@code generation_config.json}, {@code model.safetensors}) that the embedded runtime's normal
 * loader reads. The fused q|k|v and gate|up parameters are split back into the per-projection
 * tensors HF names; the LM head is tied to the embedding, so no {@code lm_head.weight} is written.
 */
final class ModelExport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelExport() {
    }

    /** Writes the three model files; the tokenizer files are written separately. */
    static void write(Path dir, TrainableLlama model, int bosId, List<Integer> eosIds, SamplingDefaults sampling)
            throws IOException {
        Files.createDirectories(dir);
        ModelConfig c = model.config();
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(configJson(c)) + "\n");
        Files.writeString(dir.resolve("generation_config.json"), generationConfig(bosId, eosIds, sampling));
        Safetensors.write(dir.resolve("model.safetensors"), tensors(model),
                Map.of("format", "pt", "producer", "steerguard-train"));
    }

    /**
     * generation_config.json: BOS and EOS ids, and the decoding defaults clients get when they send
     * no temperature, top_p or top_k (fields of {@code sampling} that are unset are left out).
     */
    static String generationConfig(int bosId, List<Integer> eosIds, SamplingDefaults sampling) throws IOException {
        ObjectNode generation = JSON.createObjectNode();
        generation.put("bos_token_id", bosId);
        eosIds.forEach(generation.putArray("eos_token_id")::add);
        if (sampling.temperature() != null) {
            generation.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            generation.put("top_p", sampling.topP());
        }
        if (sampling.topK() != null) {
            generation.put("top_k", sampling.topK());
        }
        return JSON.writeValueAsString(generation) + "\n";
    }

    static ObjectNode configJson(ModelConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("LlamaForCausalLM");
        n.put("model_type", "llama");
        n.put("hidden_size", c.hiddenSize());
        n.put("intermediate_size", c.intermediateSize());
        n.put("num_hidden_layers", c.numLayers());
        n.put("num_attention_heads", c.numHeads());
        n.put("num_key_value_heads", c.numKvHeads());
        n.put("head_dim", c.headDim());
        n.put("vocab_size", c.vocabSize());
        n.put("rms_norm_eps", c.rmsNormEps());
        n.put("rope_theta", c.ropeTheta());
        n.put("max_position_embeddings", c.maxPositions());
        n.put("tie_word_embeddings", true);
        n.put("hidden_act", "silu");
        n.put("torch_dtype", "float32");
        return n;
    }

    /** HF tensor names and shapes, in a fixed order so identical weights give identical bytes. */
    static Map<String, Tensor> tensors(TrainableLlama model) {
        ModelConfig c = model.config();
        Map<String, NDArray> p = model.parameters();
        Map<String, Tensor> out = new LinkedHashMap<>();
        long h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int inter = c.intermediateSize();
        out.put("model.embed_tokens.weight", Tensor.f32(p.get("embed").toFloatArray(), c.vocabSize(), h));
        for (int l = 0; l < c.numLayers(); l++) {
            String prefix = "model.layers." + l + ".";
            float[] qkv = p.get(TrainableLlama.layer(l, "qkv")).toFloatArray();
            out.put(prefix + "self_attn.q_proj.weight", rows(qkv, h, 0, q));
            out.put(prefix + "self_attn.k_proj.weight", rows(qkv, h, q, kv));
            out.put(prefix + "self_attn.v_proj.weight", rows(qkv, h, q + kv, kv));
            out.put(prefix + "self_attn.o_proj.weight",
                    Tensor.f32(p.get(TrainableLlama.layer(l, "o")).toFloatArray(), h, q));
            float[] gateUp = p.get(TrainableLlama.layer(l, "gate_up")).toFloatArray();
            out.put(prefix + "mlp.gate_proj.weight", rows(gateUp, h, 0, inter));
            out.put(prefix + "mlp.up_proj.weight", rows(gateUp, h, inter, inter));
            out.put(prefix + "mlp.down_proj.weight",
                    Tensor.f32(p.get(TrainableLlama.layer(l, "down")).toFloatArray(), h, inter));
            out.put(prefix + "input_layernorm.weight",
                    Tensor.f32(p.get(TrainableLlama.layer(l, "input_norm")).toFloatArray(), h));
            out.put(prefix + "post_attention_layernorm.weight",
                    Tensor.f32(p.get(TrainableLlama.layer(l, "post_norm")).toFloatArray(), h));
        }
        out.put("model.norm.weight", Tensor.f32(p.get("final_norm").toFloatArray(), h));
        return out;
    }

    /** Rows {@code [first, first + count)} of a row-major {@code [*, cols]} matrix. */
    private static Tensor rows(float[] matrix, long cols, int first, int count) {
        int from = Math.toIntExact(first * cols);
        return Tensor.f32(Arrays.copyOfRange(matrix, from, Math.toIntExact(from + count * cols)), count, cols);
    }
}
