package io.steerguard.steering;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A loaded set of steering directions, one per layer.
 *
 * <p>Layer numbering is ours and llama.cpp's at once: layer {@code L} is the 0-based decoder block
 * whose <em>output</em> the direction is added to (Hugging Face {@code hidden_states[L+1]}, GGUF
 * tensor {@code direction.L}). Directions are stored as given; normalisation is a profile choice
 * made later by {@link SteeringResolver}.
 *
 * @param modelHint  the model the vectors were derived for ({@code controlvector.model_hint} in GGUF),
 *                   empty when the file does not say
 * @param directions direction per 0-based layer, non-empty, all of one length
 * @param source     where the set was read from or will be written to, for messages ("inline" if none)
 */
public record VectorSet(String modelHint, SortedMap<Integer, float[]> directions, String source) {

    public VectorSet {
        Objects.requireNonNull(modelHint, "modelHint");
        Objects.requireNonNull(directions, "directions");
        Objects.requireNonNull(source, "source");
        if (directions.isEmpty()) {
            throw new IllegalArgumentException("directions must hold at least one layer");
        }
        TreeMap<Integer, float[]> copy = new TreeMap<>();
        int size = -1;
        for (Map.Entry<Integer, float[]> e : directions.entrySet()) {
            int layer = Objects.requireNonNull(e.getKey(), "layer");
            float[] v = Objects.requireNonNull(e.getValue(), "direction for layer " + layer);
            if (layer < 0) {
                throw new IllegalArgumentException("layer must not be negative: " + layer);
            }
            if (v.length == 0) {
                throw new IllegalArgumentException("direction for layer " + layer + " is empty");
            }
            if (size >= 0 && v.length != size) {
                throw new IllegalArgumentException("directions differ in length: layer " + layer
                        + " has " + v.length + ", earlier layers have " + size);
            }
            size = v.length;
            copy.put(layer, v.clone());
        }
        directions = Collections.unmodifiableSortedMap(copy);
    }

    /** A set with the given directions, read from nowhere in particular. */
    public static VectorSet of(String modelHint, Map<Integer, float[]> directions) {
        return new VectorSet(modelHint, new TreeMap<>(directions), "inline");
    }

    /** The length every direction shares (the model's hidden size when valid). */
    public int hiddenSize() {
        return directions.get(directions.firstKey()).length;
    }

    /** The layers in ascending order. */
    public List<Integer> layers() {
        return List.copyOf(directions.keySet());
    }

    /** A copy of the direction for {@code layer}. */
    public float[] direction(int layer) {
        float[] v = directions.get(layer);
        if (v == null) {
            throw new IllegalArgumentException(source + ": no direction for layer " + layer
                    + ", the file has layers " + directions.keySet());
        }
        return v.clone();
    }

    /** The same directions attributed to another source (e.g. the file they were just read from). */
    public VectorSet withSource(String newSource) {
        return new VectorSet(modelHint, directions, newSource);
    }

    /** Two sets are equal when hint and every component agree bit for bit; the source is ignored. */
    public boolean sameVectors(VectorSet other) {
        if (!modelHint.equals(other.modelHint) || !directions.keySet().equals(other.directions.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, float[]> e : directions.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), other.directions.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
