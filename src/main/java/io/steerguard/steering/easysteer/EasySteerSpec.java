package io.steerguard.steering.easysteer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;

/**
 * An EasySteer {@code steering} object as runtime mode read it, before any vector is loaded: the
 * vectors in request order and the conflict policy. {@link #none()} is an unsteered request.
 *
 * @param vectors  the vectors, in request order (order decides {@code priority})
 * @param conflict what happens where several vectors steer one layer at one position
 */
public record EasySteerSpec(List<Vector> vectors, Conflict conflict) {

    private static final EasySteerSpec NONE = new EasySteerSpec(List.of(), Conflict.PRIORITY);

    /** EasySteer's {@code conflict} values; its default is {@link #PRIORITY}. */
    public enum Conflict {
        /** The first vector that covers a position on a layer is the only one applied there. */
        PRIORITY,
        /** Every vector applies, in order (stacking). */
        SEQUENTIAL,
        /** Overlapping vectors are an error. */
        ERROR
    }

    /**
     * One vector.
     *
     * @param source    the file path as sent, or null for an inline ({@code data}) vector
     * @param inline    the inline directions by layer (empty for a file)
     * @param layers    the layers to steer; empty: every layer the file or payload holds
     * @param operator  {@code direct} → add, {@code erase} → ablate
     * @param scale     EasySteer's {@code scale} (the add coefficient)
     * @param positions where it applies, mapped from the {@code apply} clause
     * @param name      EasySteer's optional request label, or null
     */
    public record Vector(String source, Map<Integer, float[]> inline, Optional<List<Integer>> layers,
                         SteeringOperator operator, double scale, SteeringPositions positions, String name) {
        public Vector {
            Objects.requireNonNull(inline, "inline");
            Objects.requireNonNull(layers, "layers");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(positions, "positions");
            if ((source == null) == inline.isEmpty()) {
                throw new IllegalArgumentException("a vector has either a source or inline directions");
            }
            inline = Map.copyOf(inline);
            layers = layers.map(List::copyOf);
        }

        public boolean isInline() {
            return source == null;
        }
    }

    public EasySteerSpec {
        vectors = List.copyOf(vectors);
        Objects.requireNonNull(conflict, "conflict");
    }

    public static EasySteerSpec none() {
        return NONE;
    }

    public boolean isNone() {
        return vectors.isEmpty();
    }
}
