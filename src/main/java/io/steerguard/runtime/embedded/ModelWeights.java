package io.steerguard.runtime.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.file.Path;

/**
 * The parameters of a Llama-style decoder as F32 NDArrays on the compute device. Projections that
 * read the same input are fused at load time (q|k|v and gate|up), which halves the number of
 * matrix-vector calls per layer; the parts are freed as soon as the fused copy exists, so the
 * model is held once.
 */
final class ModelWeights implements AutoCloseable {

    /** One decoder layer. {@code qkvBias} is {@code null} when the family has no q/k/v bias. */
    record Layer(NDArray inputNorm, NDArray qkv, NDArray qkvBias, NDArray o, NDArray postNorm,
                 NDArray gateUp, NDArray down) {
    }

    final NDManager manager;
    final NDArray embedding;
    final NDArray lmHead;
    final NDArray finalNorm;
    final Layer[] layers;

    private ModelWeights(NDManager manager, NDArray embedding, NDArray lmHead, NDArray finalNorm, Layer[] layers) {
        this.manager = manager;
        this.embedding = embedding;
        this.lmHead = lmHead;
        this.finalNorm = finalNorm;
        this.layers = layers;
    }

    /** Loads every tensor the config needs; a missing or mis-shaped tensor names folder and tensor. */
    static ModelWeights load(Path modelDir, ModelConfig c, NDManager manager) {
        ModelWeightFiles files = ModelWeightFiles.open(modelDir);
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        NDArray embedding = put(manager, files.load("model.embed_tokens.weight", c.vocabSize(), h));
        NDArray lmHead;
        if (c.tieWordEmbeddings() && !files.contains("lm_head.weight")) {
            lmHead = embedding;
        } else {
            lmHead = put(manager, files.load("lm_head.weight", c.vocabSize(), h));
        }
        NDArray finalNorm = put(manager, files.load("model.norm.weight", h));
        Layer[] layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            NDArray qkv = fuse(manager,
                    files.load(p + "self_attn.q_proj.weight", q, h),
                    files.load(p + "self_attn.k_proj.weight", kv, h),
                    files.load(p + "self_attn.v_proj.weight", kv, h));
            NDArray qkvBias = null;
            if (c.qkvBias()) {
                qkvBias = fuse(manager,
                        files.load(p + "self_attn.q_proj.bias", q),
                        files.load(p + "self_attn.k_proj.bias", kv),
                        files.load(p + "self_attn.v_proj.bias", kv));
            }
            NDArray gateUp = fuse(manager,
                    files.load(p + "mlp.gate_proj.weight", inter, h),
                    files.load(p + "mlp.up_proj.weight", inter, h));
            layers[i] = new Layer(
                    put(manager, files.load(p + "input_layernorm.weight", h)),
                    qkv, qkvBias,
                    put(manager, files.load(p + "self_attn.o_proj.weight", h, q)),
                    put(manager, files.load(p + "post_attention_layernorm.weight", h)),
                    gateUp,
                    put(manager, files.load(p + "mlp.down_proj.weight", h, inter)));
        }
        return new ModelWeights(manager, embedding, lmHead, finalNorm, layers);
    }

    private static NDArray put(NDManager manager, Tensor t) {
        return manager.create(t.values(), new Shape(t.shape()));
    }

    /** Concatenates along the output dimension (rows), so one linear computes all parts. */
    private static NDArray fuse(NDManager manager, Tensor... parts) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList list = new NDList();
            for (Tensor t : parts) {
                list.add(put(scratch, t));
            }
            NDArray fused = ai.djl.ndarray.NDArrays.concat(list, 0);
            fused.attach(manager);
            return fused;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
