package io.steerguard.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.steerguard.runtime.embedded.LlamaOps;
import io.steerguard.runtime.embedded.ModelConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama decoder whose parameters carry gradients: the training-time twin of the runtime's
 * {@code Transformer}. Both run the same {@link LlamaOps} blocks; this one processes whole packed
 * rows at once (no KV cache) with a block-diagonal causal mask, so each packed example sees only
 * itself, from position 0, exactly as it will at inference.
 *
 * <p>Parameters are held the way the runtime holds them (q|k|v and gate|up fused by rows) and
 * split back into Hugging Face tensors by {@link ModelExport}.
 */
final class TrainableLlama implements AutoCloseable {

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final LlamaOps.Rope rope;
    private final float scale;

    TrainableLlama(ModelConfig config, NDManager manager, long seed) {
        if (!config.tieWordEmbeddings() || config.qkvBias()) {
            throw new IllegalArgumentException("config: the trainer builds tied-embedding Llama models without q/k/v bias");
        }
        this.config = config;
        this.manager = manager;
        this.rope = LlamaOps.rope(manager, config, config.maxPositions());
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
        initialise(new SplittableRandom(seed));
    }

    /**
     * GPT-2 style initialisation: N(0, 0.02) everywhere, the two projections that write into the
     * residual stream scaled by 1/sqrt(2L) so the stream's variance does not grow with depth, and
     * RMSNorm gains at 1.
     */
    private void initialise(SplittableRandom rnd) {
        ModelConfig c = config;
        long h = c.hiddenSize();
        long qkvRows = (long) (c.numHeads() + 2 * c.numKvHeads()) * c.headDim();
        long inter = c.intermediateSize();
        double residualStd = 0.02 / Math.sqrt(2.0 * c.numLayers());
        add("embed", normal(rnd, 0.02, c.vocabSize(), h));
        for (int l = 0; l < c.numLayers(); l++) {
            add(layer(l, "input_norm"), ones(h));
            add(layer(l, "qkv"), normal(rnd, 0.02, qkvRows, h));
            add(layer(l, "o"), normal(rnd, residualStd, h, (long) c.numHeads() * c.headDim()));
            add(layer(l, "post_norm"), ones(h));
            add(layer(l, "gate_up"), normal(rnd, 0.02, 2 * inter, h));
            add(layer(l, "down"), normal(rnd, residualStd, h, inter));
        }
        add("final_norm", ones(h));
    }

    static String layer(int l, String name) {
        return "layers." + l + "." + name;
    }

    private void add(String name, NDArray array) {
        array.setRequiresGradient(true);
        parameters.put(name, array);
    }

    private NDArray normal(SplittableRandom rnd, double std, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(rnd) * std);
        }
        return manager.create(v, new Shape(rows, cols));
    }

    /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private NDArray ones(long n) {
        return manager.ones(new Shape(n));
    }

    ModelConfig config() {
        return config;
    }

    /** Parameters in a fixed order (the optimizer's and the export's). */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    long parameterCount() {
        long n = 0;
        for (NDArray p : parameters.values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * Mean next-token cross-entropy over the weighted target positions of a packed batch:
     * loss = -sum_i w_i * log softmax(logits_i)[target_i] / sum_i w_i.
     */
    NDArray loss(PackedBatch batch, NDManager step) {
        NDArray logits = logits(batch, step);
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray targets = step.create(batch.targets()).reshape(-1, 1);
        NDArray picked = logProbs.gather(targets, 1).reshape(-1);
        NDArray weights = step.create(batch.weights());
        return picked.mul(weights).sum().neg().div(Math.max(1e-6f, batch.weightSum()));
    }

    /** Logits for every position of the batch, {@code [rows * length, vocab]}. */
    NDArray logits(PackedBatch batch, NDManager step) {
        ModelConfig c = config;
        int b = batch.rows();
        int t = batch.length();
        int nh = c.numHeads();
        int kvh = c.numKvHeads();
        int g = c.groupSize();
        int d = c.headDim();
        NDArray embed = parameters.get("embed");
        NDArray h = LlamaOps.gatherRows(step.create(batch.tokens()), embed);
        NDArray pos = step.create(batch.positions());
        NDArray cos = LlamaOps.gatherRows(pos, rope.cos()).reshape((long) b * t, 1, d);
        NDArray sin = LlamaOps.gatherRows(pos, rope.sin()).reshape((long) b * t, 1, d);
        NDArray mask = step.create(batch.mask(), new Shape(b, 1, 1, t, t));
        for (int l = 0; l < c.numLayers(); l++) {
            NDArray x = LlamaOps.rmsNorm(h, parameters.get(layer(l, "input_norm")), c.rmsNormEps());
            NDArray qkv = LlamaOps.linear(x, parameters.get(layer(l, "qkv")), null);
            NDArray qk = qkv.get(":, :{}", (nh + kvh) * d).reshape((long) b * t, nh + kvh, d);
            qk = LlamaOps.rotate(qk, cos, sin, rope.rotateHalf());
            // query head j*g + i reads key/value head j: view queries as [B, kvH, g, T, d], broadcast K/V over g
            NDArray q = qk.get(":, :{}, :", nh).reshape(b, t, kvh, g, d).transpose(0, 2, 3, 1, 4);
            NDArray k = qk.get(":, {}:, :", nh).reshape(b, t, kvh, d).transpose(0, 2, 1, 3).expandDims(2);
            NDArray v = qkv.get(":, {}:", (nh + kvh) * d).reshape(b, t, kvh, d).transpose(0, 2, 1, 3).expandDims(2);
            NDArray attended = LlamaOps.attend(q, k, v, scale, mask) // [B, kvH, g, T, d]
                    .transpose(0, 3, 1, 2, 4).reshape((long) b * t, (long) nh * d);
            h = h.add(LlamaOps.linear(attended, parameters.get(layer(l, "o")), null));
            x = LlamaOps.rmsNorm(h, parameters.get(layer(l, "post_norm")), c.rmsNormEps());
            h = h.add(LlamaOps.swiGlu(x, parameters.get(layer(l, "gate_up")), parameters.get(layer(l, "down")),
                    c.intermediateSize()));
        }
        NDArray last = LlamaOps.rmsNorm(h, parameters.get("final_norm"), c.rmsNormEps());
        return LlamaOps.linear(last, embed, null);
    }

    /** Copies of every parameter as float arrays, in {@link #parameters()} order. */
    List<float[]> snapshot() {
        List<float[]> out = new ArrayList<>();
        for (NDArray p : parameters.values()) {
            out.add(p.toFloatArray());
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
