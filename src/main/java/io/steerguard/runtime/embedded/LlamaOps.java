package io.steerguard.runtime.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The building blocks of a Llama-style decoder layer as DJL NDArray ops, shared by the inference
 * {@link Transformer} and the trainer in {@code io.steerguard.training}: a model trained with these
 * functions computes exactly what the runtime computes when it loads the exported weights. Every op
 * here is differentiable on the PyTorch engine, so the trainer gets gradients for free.
 */
public final class LlamaOps {

    private LlamaOps() {
    }

    /** RoPE tables for positions {@code 0..maxContext-1}, plus the rotate-half permutation. */
    public record Rope(NDArray cos, NDArray sin, NDArray rotateHalf) {
    }

    /**
     * Builds RoPE tables as Hugging Face does: angle(p, j) = p * invFreq[j mod d/2] for j &lt; d, and
     * rotate_half(x) = cat(-x[d/2:], x[:d/2]) as a signed permutation matrix R so that
     * rotate_half(x) = x @ R (every output is one input times +-1, hence exact).
     */
    public static Rope rope(NDManager manager, ModelConfig config, int maxContext) {
        int d = config.headDim();
        double[] inv = config.ropeInverseFrequencies();
        float[] cos = new float[maxContext * d];
        float[] sin = new float[maxContext * d];
        for (int p = 0; p < maxContext; p++) {
            for (int j = 0; j < d; j++) {
                double angle = p * inv[j % (d / 2)];
                cos[p * d + j] = (float) Math.cos(angle);
                sin[p * d + j] = (float) Math.sin(angle);
            }
        }
        float[] r = new float[d * d];
        for (int j = 0; j < d / 2; j++) {
            r[(j + d / 2) * d + j] = -1f;
            r[j * d + j + d / 2] = 1f;
        }
        return new Rope(manager.create(cos, new Shape(maxContext, d)), manager.create(sin, new Shape(maxContext, d)),
                manager.create(r, new Shape(d, d)));
    }

    /** RoPE applied to heads {@code x[..., d]}: x*cos + rotate_half(x)*sin, cos/sin broadcast over heads. */
    public static NDArray rotate(NDArray x, NDArray cos, NDArray sin, NDArray rotateHalf) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }

    /** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * w. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        NDArray rms = x.square().mean(new int[]{-1}, true).add((float) eps).sqrt();
        return x.div(rms).mul(weight);
    }

    /** y = x @ W^T (+ b), W in Hugging Face's [out, in] layout. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null
                ? Linear.linear(x, weight).singletonOrThrow()
                : Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** The SwiGLU MLP with fused gate|up rows: down(silu(gate(x)) * up(x)), silu(g) = g * sigmoid(g). */
    public static NDArray swiGlu(NDArray x, NDArray gateUp, NDArray down, long intermediate) {
        NDArray both = linear(x, gateUp, null);
        NDArray gate = both.get("..., :{}", intermediate);
        NDArray up = both.get("..., {}:", intermediate);
        return linear(gate.mul(Activation.sigmoid(gate)).mul(up), down, null);
    }

    /** softmax(q k^T * scale + mask) v over the last two axes; {@code mask} is additive and may be null. */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, float scale, NDArray mask) {
        int rank = k.getShape().dimension();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        axes[rank - 2] = rank - 1;
        axes[rank - 1] = rank - 2;
        NDArray scores = q.matMul(k.transpose(axes)).mul(scale);
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(v);
    }

    /** Rows {@code index} of {@code matrix} (an embedding lookup), owned by {@code index}'s manager. */
    public static NDArray gatherRows(NDArray index, NDArray matrix) {
        return index.getNDArrayInternal().embedding(index, matrix, SparseFormat.DENSE).singletonOrThrow();
    }
}
