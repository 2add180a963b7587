package io.steerguard.runtime.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.steerguard.djl.DjlOffline;

/**
 * The forward pass of a Llama-style decoder (Llama, Mistral, Qwen2) with DJL NDArray ops.
 *
 * <p>Batching scheme: a step packs the new tokens of all its sequences into one {@code [rows, hidden]}
 * matrix (no padding), so every projection and MLP is a single matmul over all rows, which is
 * where the weight bandwidth goes. Attention is the only per-sequence part: single-token decode
 * rows of slots {@code 0..B-1} share one batched attention over a strided view of the KV cache
 * (masked to each sequence's length); prompt chunks attend one sequence at a time with a causal
 * mask. Nothing is padded, so a sequence's result does not depend on its neighbours' lengths.
 *
 * <p>Not thread-safe: the engine calls it from its single inference thread.
 */
final class Transformer implements AutoCloseable {

    /** Additive mask value: exp(-1e9 - max) underflows to exactly 0, and stays finite when a whole row is masked. */
    private static final float MASKED = -1e9f;

    /** Logits at each sequence's last new token, and requested residual captures, in input order. */
    record StepResult(float[][] logits, List<Map<Integer, float[]>> captures) {
    }

    private final ModelConfig config;
    private final ModelWeights weights;
    private final KvCache cache;
    private final NDArray ropeCos;
    private final NDArray ropeSin;
    private final NDArray rotateHalf;
    private final float scale;

    Transformer(ModelConfig config, ModelWeights weights, int slots, int maxContext) {
        this.config = config;
        this.weights = weights;
        this.cache = new KvCache(weights.manager, config, slots, maxContext);
        LlamaOps.Rope rope = LlamaOps.rope(weights.manager, config, maxContext);
        this.ropeCos = rope.cos();
        this.ropeSin = rope.sin();
        this.rotateHalf = rope.rotateHalf();
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /**
     * Loads a model folder onto {@code device}.
     *
     * @param slots      KV-cache slots, the largest batch
     * @param maxContext positions per slot (prompt plus generated tokens)
     */
    static Transformer load(java.nio.file.Path modelDir, ai.djl.Device device, int slots, int maxContext) {
        DjlOffline.ensure();
        ModelConfig config = ModelConfig.load(modelDir);
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            return new Transformer(config, ModelWeights.load(modelDir, config, manager), slots, maxContext);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** NDArrays alive under the model's manager (weights, tables, cache, and anything leaked). */
    int liveArrays() {
        return weights.manager.getManagedArrays().size();
    }

    ModelConfig config() {
        return config;
    }

    KvCache cache() {
        return cache;
    }

    /** Runs one step; the caller guarantees distinct slots and {@code start + n <= maxContext}. */
    StepResult forward(List<StepSequence> seqs) {
        ModelConfig c = config;
        int n = seqs.size();
        int decodeCount = leadingDecodeCount(seqs);
        int[] rowStart = new int[n];
        int rows = 0;
        for (int s = 0; s < n; s++) {
            rowStart[s] = rows;
            rows += seqs.get(s).tokens().length;
        }
        long[] ids = new long[rows];
        long[] positions = new long[rows];
        for (int s = 0; s < n; s++) {
            StepSequence seq = seqs.get(s);
            for (int t = 0; t < seq.tokens().length; t++) {
                ids[rowStart[s] + t] = seq.tokens()[t];
                positions[rowStart[s] + t] = seq.start() + t;
            }
        }
        int nh = c.numHeads();
        int kvh = c.numKvHeads();
        int d = c.headDim();
        try (NDManager step = weights.manager.newSubManager()) {
            NDArray h = gatherRows(step.create(ids), weights.embedding);
            NDArray pos = step.create(positions);
            NDArray cos = gatherRows(pos, ropeCos).reshape(rows, 1, d);
            NDArray sin = gatherRows(pos, ropeSin).reshape(rows, 1, d);
            Masks masks = Masks.build(step, seqs, decodeCount);
            SteeringBatch steering = SteeringBatch.build(step, seqs, rowStart, rows, c.hiddenSize());
            List<Map<Integer, float[]>> captures = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                captures.add(new HashMap<>());
            }
            for (int l = 0; l < c.numLayers(); l++) {
                ModelWeights.Layer w = weights.layers[l];

                // Attention block: h <- h + o_proj(attention(rmsnorm(h)))
                NDArray x = rmsNorm(h, w.inputNorm());
                NDArray qkv = LlamaOps.linear(x, w.qkv(), w.qkvBias());
                NDArray qk = qkv.get(":, :{}", (nh + kvh) * d).reshape(rows, nh + kvh, d);
                // RoPE: rotate q and k per head, x*cos + rotate_half(x)*sin
                qk = LlamaOps.rotate(qk, cos, sin, rotateHalf);
                NDArray q = qk.get(":, :{}, :", nh);
                NDArray k = qk.get(":, {}:, :", nh);
                NDArray v = qkv.get(":, {}:", (nh + kvh) * d).reshape(rows, kvh, d);
                NDArray attended = attention(step, l, seqs, rowStart, decodeCount, masks, q, k, v);
                h = h.add(LlamaOps.linear(attended, w.o(), null));

                // MLP block: h <- h + down(silu(gate(x)) * up(x)), x = rmsnorm(h)
                x = rmsNorm(h, w.postNorm());
                h = h.add(LlamaOps.swiGlu(x, w.gateUp(), w.down(), c.intermediateSize()));

                // Steering acts on the residual stream after block l (hidden_states[l+1])
                h = steering.apply(l, h);
                capture(step, l, seqs, rowStart, h, captures);
            }
            // Final norm and LM head, only at each sequence's last new token
            long[] last = new long[n];
            for (int s = 0; s < n; s++) {
                last[s] = rowStart[s] + seqs.get(s).tokens().length - 1;
            }
            NDArray lastHidden = rmsNorm(gatherRows(step.create(last), h), weights.finalNorm);
            float[] flat = LlamaOps.linear(lastHidden, weights.lmHead, null).toFloatArray();
            int vocab = c.vocabSize();
            float[][] logits = new float[n][];
            for (int s = 0; s < n; s++) {
                logits[s] = java.util.Arrays.copyOfRange(flat, s * vocab, (s + 1) * vocab);
            }
            return new StepResult(logits, captures);
        }
    }

    /**
     * Scaled dot-product attention with grouped-query heads: query head {@code j*g + i} reads
     * key/value head {@code j}, so queries are viewed as {@code [kvHeads, g, ...]} and K/V are
     * broadcast over {@code g} rather than copied.
     */
    private NDArray attention(NDManager step, int layer, List<StepSequence> seqs, int[] rowStart, int decodeCount,
                              Masks masks, NDArray q, NDArray k, NDArray v) {
        ModelConfig c = config;
        int kvh = c.numKvHeads();
        int g = c.groupSize();
        int d = c.headDim();
        // KV cache: store this step's keys and values at their positions
        for (int s = 0; s < seqs.size(); s++) {
            StepSequence seq = seqs.get(s);
            int r0 = rowStart[s];
            int len = seq.tokens().length;
            cache.write(layer, seq.slot(), seq.start(),
                    k.get("{}:{}", r0, r0 + len).transpose(1, 0, 2),
                    v.get("{}:{}", r0, r0 + len).transpose(1, 0, 2));
        }
        NDList outputs = new NDList();
        if (decodeCount > 0) {
            // Decode rows 0..B-1 belong to slots 0..B-1: one batched attention over [B, kvH, S, d]
            int b = decodeCount;
            int length = masks.decodeLength;
            NDArray qd = q.get(":{}", b).reshape(b, kvh, g, d);
            NDArray keys = cache.keysOfFirst(step, layer, b, length);
            NDArray values = cache.valuesOfFirst(step, layer, b, length);
            outputs.add(LlamaOps.attend(qd, keys, values, scale, masks.decode).reshape(b, (long) kvh * g * d));
        }
        for (int s = decodeCount; s < seqs.size(); s++) {
            StepSequence seq = seqs.get(s);
            int r0 = rowStart[s];
            int len = seq.tokens().length;
            int length = seq.start() + len;
            NDArray qs = q.get("{}:{}", r0, r0 + len).reshape(len, kvh, g, d).transpose(1, 2, 0, 3);
            NDArray keys = cache.keys(step, layer, seq.slot(), length).expandDims(1);
            NDArray values = cache.values(step, layer, seq.slot(), length).expandDims(1);
            NDArray out = LlamaOps.attend(qs, keys, values, scale, masks.causal.get(s)); // [kvH, g, len, d]
            outputs.add(out.transpose(2, 0, 1, 3).reshape(len, (long) kvh * g * d));
        }
        return outputs.size() == 1 ? outputs.singletonOrThrow() : NDArrays.concat(outputs, 0);
    }

    private void capture(NDManager step, int layer, List<StepSequence> seqs, int[] rowStart, NDArray h,
                         List<Map<Integer, float[]>> captures) {
        for (int s = 0; s < seqs.size(); s++) {
            StepSequence seq = seqs.get(s);
            if (seq.endsPrompt() && seq.captureLayers().contains(layer)) {
                int row = rowStart[s] + seq.promptLength() - 1 - seq.start();
                captures.get(s).put(layer, h.get("{}", row).toFloatArray());
            }
        }
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        return LlamaOps.rmsNorm(x, weight, config.rmsNormEps());
    }

    private static NDArray gatherRows(NDArray index, NDArray matrix) {
        return LlamaOps.gatherRows(index, matrix);
    }

    /** How many leading sequences are single-token decodes in slots 0, 1, 2, ... (the batched path). */
    private static int leadingDecodeCount(List<StepSequence> seqs) {
        int b = 0;
        while (b < seqs.size() && seqs.get(b).isDecode() && seqs.get(b).slot() == b) {
            b++;
        }
        return b;
    }

    @Override
    public void close() {
        cache.close();
        weights.close();
    }

    /** Additive attention masks of one step, shared by all layers. */
    private static final class Masks {
        NDArray decode;
        int decodeLength;
        final Map<Integer, NDArray> causal = new HashMap<>();

        static Masks build(NDManager step, List<StepSequence> seqs, int decodeCount) {
            Masks m = new Masks();
            if (decodeCount > 0) {
                // decode row b sees its own positions 0..start_b; longer neighbours' extra keys are masked
                int length = 0;
                for (int b = 0; b < decodeCount; b++) {
                    length = Math.max(length, seqs.get(b).start() + 1);
                }
                float[] mask = new float[decodeCount * length];
                for (int b = 0; b < decodeCount; b++) {
                    for (int s = seqs.get(b).start() + 1; s < length; s++) {
                        mask[b * length + s] = MASKED;
                    }
                }
                m.decodeLength = length;
                m.decode = step.create(mask, new Shape(decodeCount, 1, 1, length));
            }
            for (int s = decodeCount; s < seqs.size(); s++) {
                StepSequence seq = seqs.get(s);
                int len = seq.tokens().length;
                if (len == 1) {
                    continue; // a single new token sees every cached position: no mask
                }
                // causal: new token t (position start+t) sees keys 0..start+t
                int length = seq.start() + len;
                float[] mask = new float[len * length];
                for (int t = 0; t < len; t++) {
                    for (int key = seq.start() + t + 1; key < length; key++) {
                        mask[t * length + key] = MASKED;
                    }
                }
                m.causal.put(s, step.create(mask, new Shape(len, length)));
            }
            return m;
        }
    }
}
