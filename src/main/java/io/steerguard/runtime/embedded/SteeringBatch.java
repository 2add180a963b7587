package io.steerguard.runtime.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steering of one forward step as batched tensors over the step's packed token rows. For every
 * steered layer and every entry index {@code k} it holds one update, applied after the block:
 * <pre>  h <- h + a + (z - &lt;h,u&gt;) * u</pre>
 * Rows of {@code add} sequences carry {@code a = c*v, u = 0}; rows of {@code project-to} carry
 * {@code a = 0, u = v/|v|, z = target}; {@code ablate} is project-to with {@code z = 0}. Unsteered
 * rows (other sequences, or positions the entry does not cover) are all zero, so their residual
 * is unchanged: {@code h + 0 = h} exactly. A layer no sequence steers gets no update at all, which
 * is why {@link SteeringSpec#none()} is bit-identical to a model without steering.
 */
final class SteeringBatch {

    /** One batched update; {@code unit} and {@code target} are null when no row projects. */
    private record Update(NDArray add, NDArray unit, NDArray target) {
    }

    private final Map<Integer, List<Update>> byLayer;

    private SteeringBatch(Map<Integer, List<Update>> byLayer) {
        this.byLayer = byLayer;
    }

    /**
     * Builds the updates.
     *
     * @param rowStart first packed row of each sequence
     */
    static SteeringBatch build(NDManager step, List<StepSequence> seqs, int[] rowStart, int rows, int hidden) {
        Map<Integer, List<Update>> byLayer = new HashMap<>();
        for (int layer : steeredLayers(seqs)) {
            List<Update> updates = new ArrayList<>();
            for (int k = 0; ; k++) {
                float[] add = null;
                float[] unit = null;
                float[] target = null;
                boolean present = false;
                for (int s = 0; s < seqs.size(); s++) {
                    SteeringSpec.Entry e = entryAt(seqs.get(s).steering(), layer, k);
                    if (e == null) {
                        continue;
                    }
                    present = true;
                    StepSequence seq = seqs.get(s);
                    float[] v = e.directions().get(layer);
                    if (v.length != hidden) {
                        throw new IllegalArgumentException("steering vector for layer " + layer + " has "
                                + v.length + " values, the model's hidden size is " + hidden);
                    }
                    double norm = norm(v);
                    for (int t = 0; t < seq.tokens().length; t++) {
                        if (!e.positions().applies(seq.start() + t, seq.promptLength())) {
                            continue;
                        }
                        int base = (rowStart[s] + t) * hidden;
                        if (e.operator() == SteeringOperator.ADD) {
                            add = add == null ? new float[rows * hidden] : add;
                            for (int i = 0; i < hidden; i++) {
                                add[base + i] = (float) (e.coefficient() * v[i]);
                            }
                        } else {
                            unit = unit == null ? new float[rows * hidden] : unit;
                            target = target == null ? new float[rows] : target;
                            for (int i = 0; i < hidden; i++) {
                                unit[base + i] = (float) (v[i] / norm);
                            }
                            target[rowStart[s] + t] = e.operator() == SteeringOperator.PROJECT_TO ? (float) e.target() : 0f;
                        }
                    }
                }
                if (!present) {
                    break;
                }
                if (add != null || unit != null) {
                    Shape shape = new Shape(rows, hidden);
                    updates.add(new Update(add == null ? null : step.create(add, shape),
                            unit == null ? null : step.create(unit, shape),
                            target == null ? null : step.create(target, new Shape(rows, 1))));
                }
            }
            if (!updates.isEmpty()) {
                byLayer.put(layer, updates);
            }
        }
        return new SteeringBatch(byLayer);
    }

    /** Applies the updates of {@code layer} to the residual {@code h [rows, hidden]}. */
    NDArray apply(int layer, NDArray h) {
        List<Update> updates = byLayer.get(layer);
        if (updates == null) {
            return h;
        }
        for (Update u : updates) {
            if (u.add() != null) {
                h = h.add(u.add());
            }
            if (u.unit() != null) {
                // project-to / ablate: h + (z - <h,u>) u
                NDArray projection = h.mul(u.unit()).sum(new int[]{-1}, true);
                h = h.add(u.target().sub(projection).mul(u.unit()));
            }
        }
        return h;
    }

    boolean steers(int layer) {
        return byLayer.containsKey(layer);
    }

    private static List<Integer> steeredLayers(List<StepSequence> seqs) {
        List<Integer> layers = new ArrayList<>();
        for (StepSequence s : seqs) {
            for (int l : s.steering().steeredLayers()) {
                if (!layers.contains(l)) {
                    layers.add(l);
                }
            }
        }
        return layers;
    }

    /** The k-th entry (in spec order) that steers {@code layer}, or null. */
    private static SteeringSpec.Entry entryAt(SteeringSpec spec, int layer, int k) {
        int seen = 0;
        for (SteeringSpec.Entry e : spec.entries()) {
            if (e.layers().contains(layer)) {
                if (seen == k) {
                    return e;
                }
                seen++;
            }
        }
        return null;
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
