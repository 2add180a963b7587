package io.steerguard.steering;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import java.util.List;
import java.util.Objects;

/**
 * One vector entry of a SteeringProfile, as the config package parses it, before its file is loaded.
 *
 * @param file          vector file path, relative to the profile's base directory or absolute
 * @param layers        0-based layers to steer; empty means every layer the file holds
 * @param coefficient   multiplier {@code c} for {@code add}
 * @param operator      add, project-to or ablate
 * @param target        target projection {@code z} for project-to (ignored otherwise)
 * @param positions     which token positions are steered
 * @param normalisation how the vector is rescaled before use
 */
public record VectorEntry(String file, List<Integer> layers, double coefficient, SteeringOperator operator,
                          double target, SteeringPositions positions, Normalisation normalisation) {

    public VectorEntry {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(normalisation, "normalisation");
        if (file.isBlank()) {
            throw new IllegalArgumentException("file must not be blank");
        }
        if (layers.stream().distinct().count() != layers.size()) {
            throw new IllegalArgumentException("layers contains a duplicate: " + layers);
        }
        if (layers.stream().anyMatch(l -> l < 0)) {
            throw new IllegalArgumentException("layers must not be negative: " + layers);
        }
        if (!Double.isFinite(coefficient) || !Double.isFinite(target)) {
            throw new IllegalArgumentException("coefficient and target must be finite");
        }
        layers = List.copyOf(layers);
    }

    /** {@code add} at all positions without normalisation. */
    public static VectorEntry add(String file, List<Integer> layers, double coefficient) {
        return new VectorEntry(file, layers, coefficient, SteeringOperator.ADD, 0, SteeringPositions.ALL, Normalisation.NONE);
    }
}
