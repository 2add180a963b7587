package io.steerguard.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete steering applied to one generation: zero or more entries, each a direction per
 * layer with an operator and a coefficient. Layers are 0-based decoder-layer indices; the vector
 * for layer {@code L} acts on the residual stream after block {@code L} (Hugging Face
 * {@code hidden_states[L+1]}, llama.cpp {@code direction.L}).
 *
 * <p>{@link #none()} must produce logits bit-identical to an unsteered model.
 */
public record SteeringSpec(List<Entry> entries) {

    private static final SteeringSpec NONE = new SteeringSpec(List.of());

    public SteeringSpec {
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
    }

    public static SteeringSpec none() {
        return NONE;
    }

    public static SteeringSpec of(Entry... entries) {
        return new SteeringSpec(List.of(entries));
    }

    public boolean isNone() {
        return entries.isEmpty();
    }

    /** Every layer some entry steers, in ascending order. */
    public List<Integer> steeredLayers() {
        List<Integer> layers = new ArrayList<>();
        for (Entry e : entries) {
            for (int layer : e.layers()) {
                if (!layers.contains(layer)) {
                    layers.add(layer);
                }
            }
        }
        layers.sort(Integer::compare);
        return layers;
    }

    /**
     * One steering vector applied at some layers.
     *
     * @param source      where the vector came from (a file path); remote steerable runtimes
     *                    receive this path, embedded runtimes use {@code directions}
     * @param layers      0-based decoder layers to steer, non-empty, no duplicates
     * @param directions  the loaded direction per layer; either empty (remote runtimes resolve
     *                    {@code source} themselves) or exactly one vector per entry of {@code layers}
     * @param coefficient the multiplier {@code c} for {@link SteeringOperator#ADD}
     * @param operator    how the vector acts on the residual stream
     * @param target      the target projection {@code z} for {@link SteeringOperator#PROJECT_TO}
     * @param positions   which token positions are steered
     * @param normalize   remote (EasySteer) runtimes only: passed through as EasySteer's {@code normalize}
     *                    flag, which rescales the steered hidden state back to its original norm;
     *                    embedded runtimes ignore it (SteerGuard normalises vectors when loading them)
     */
    public record Entry(String source, List<Integer> layers, Map<Integer, float[]> directions,
                        double coefficient, SteeringOperator operator, double target,
                        SteeringPositions positions, boolean normalize) {

        public Entry {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(positions, "positions");
            Objects.requireNonNull(layers, "layers");
            Objects.requireNonNull(directions, "directions");
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("a steering entry needs at least one layer");
            }
            if (layers.stream().distinct().count() != layers.size()) {
                throw new IllegalArgumentException("duplicate layer in " + layers);
            }
            for (int layer : layers) {
                if (layer < 0) {
                    throw new IllegalArgumentException("layer must not be negative: " + layer);
                }
            }
            if (!Double.isFinite(coefficient) || !Double.isFinite(target)) {
                throw new IllegalArgumentException("coefficient and target must be finite");
            }
            if (!directions.isEmpty()) {
                if (!directions.keySet().equals(new java.util.HashSet<>(layers))) {
                    throw new IllegalArgumentException("directions must cover exactly the layers " + layers
                            + " but cover " + directions.keySet());
                }
                int size = -1;
                for (Map.Entry<Integer, float[]> d : directions.entrySet()) {
                    float[] v = Objects.requireNonNull(d.getValue(), "direction for layer " + d.getKey());
                    if (size >= 0 && v.length != size) {
                        throw new IllegalArgumentException("directions differ in length: " + v.length + " vs " + size);
                    }
                    size = v.length;
                }
            }
            layers = List.copyOf(layers);
            directions = Map.copyOf(new LinkedHashMap<>(directions));
        }

        /** {@code h <- h + c*v} at every position, with the loaded directions. */
        public static Entry add(Map<Integer, float[]> directions, double coefficient) {
            List<Integer> layers = new ArrayList<>(directions.keySet());
            layers.sort(Integer::compare);
            return new Entry("inline", layers, directions, coefficient, SteeringOperator.ADD, 0,
                    SteeringPositions.ALL, false);
        }

        public boolean hasDirections() {
            return !directions.isEmpty();
        }
    }
}
