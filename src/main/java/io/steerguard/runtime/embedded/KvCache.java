package io.steerguard.runtime.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every running sequence: per layer one {@code [slots, kvHeads, maxContext, headDim]}
 * tensor for K and one for V, allocated once. A sequence owns a slot; its position {@code p} lives
 * at {@code [slot, :, p, :]}. Zero-initialised so positions a sequence has not written stay finite
 * (they are masked out, and a masked NaN would still poison the softmax's weighted sum).
 *
 * <p>Why slots and not one growing tensor per sequence: decode steps then read the keys of the
 * first {@code B} slots as one strided view, one batched matmul for all sequences, instead of a
 * concatenation per step. The engine keeps running sequences in slots {@code 0..B-1} (see
 * {@link #move}), so that view needs no gather.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int slots;
    private final int maxContext;

    KvCache(NDManager parent, ModelConfig c, int slots, int maxContext) {
        this.manager = parent.newSubManager();
        this.slots = slots;
        this.maxContext = maxContext;
        this.keys = new NDArray[c.numLayers()];
        this.values = new NDArray[c.numLayers()];
        Shape shape = new Shape(slots, c.numKvHeads(), maxContext, c.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape);
            values[l] = manager.zeros(shape);
        }
    }

    int slots() {
        return slots;
    }

    int maxContext() {
        return maxContext;
    }

    /** Stores {@code k, v} of shape {@code [kvHeads, n, headDim]} at positions {@code start..start+n-1}. */
    void write(int layer, int slot, int start, NDArray k, NDArray v) {
        long n = k.getShape().get(1);
        NDIndex at = new NDIndex("{}, :, {}:{}", slot, start, start + n);
        keys[layer].set(at, k);
        values[layer].set(at, v);
    }

    /** Keys of one slot's first {@code length} positions, {@code [kvHeads, length, headDim]} (a view). */
    NDArray keys(NDManager step, int layer, int slot, int length) {
        return keys[layer].get(step, new NDIndex("{}, :, :{}", slot, length));
    }

    NDArray values(NDManager step, int layer, int slot, int length) {
        return values[layer].get(step, new NDIndex("{}, :, :{}", slot, length));
    }

    /** Keys of slots {@code 0..count-1}, first {@code length} positions: {@code [count, kvHeads, length, headDim]}. */
    NDArray keysOfFirst(NDManager step, int layer, int count, int length) {
        return keys[layer].get(step, new NDIndex(":{}, :, :{}", count, length));
    }

    NDArray valuesOfFirst(NDManager step, int layer, int count, int length) {
        return values[layer].get(step, new NDIndex(":{}, :, :{}", count, length));
    }

    /** Copies the first {@code length} positions of slot {@code from} into slot {@code to}. */
    void move(int from, int to, int length) {
        if (from == to || length == 0) {
            return;
        }
        try (NDManager scratch = manager.newSubManager()) {
            for (int l = 0; l < keys.length; l++) {
                NDIndex src = new NDIndex("{}, :, :{}", from, length);
                NDIndex dst = new NDIndex("{}, :, :{}", to, length);
                keys[l].set(dst, keys[l].get(scratch, src).duplicate());
                values[l].set(dst, values[l].get(scratch, src).duplicate());
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
