package io.steerguard.config;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.steering.Normalisation;

import java.util.List;
import java.util.Objects;

/**
 * {@code kind: SteeringProfile}: a named set of steering vectors for one runtime.
 *
 * @param runtime     the runtime (model) the vectors were made for
 * @param runtimeLocation where {@code spec.runtime} is written, for reference errors
 * @param servedBy    the runtime that serves this profile steered, for servers that steer process-wide
 *                    (llama.cpp {@code --control-vector-scaled}); empty when {@code runtime} applies the
 *                    vectors per request. A routed profile's twin runs unsteered on {@code runtime}.
 * @param servedByLocation where {@code spec.servedBy} is written (the spec's location when absent)
 * @param description free text for operators
 * @param vectors     the vector entries, applied together
 */
public record SteeringProfileDocument(DocumentMetadata metadata, SourceLocation location, String runtime,
                                      SourceLocation runtimeLocation, String servedBy, SourceLocation servedByLocation,
                                      String description, List<VectorEntry> vectors)
        implements ConfigDocument {

    public static final String KIND = "SteeringProfile";

    /** The reserved profile name meaning "no steering"; it needs no document. */
    public static final String UNSTEERED = "unsteered";

    public SteeringProfileDocument {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(runtimeLocation, "runtimeLocation");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(servedByLocation, "servedByLocation");
        Objects.requireNonNull(description, "description");
        vectors = List.copyOf(vectors);
    }

    /**
     * Whether another runtime ({@link #servedBy()}) serves this profile steered: SteerGuard then sends
     * it plain requests and reads the vector files only for the audit and the profile's identity.
     */
    public boolean routed() {
        return !servedBy.isEmpty();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * One vector file applied at some layers.
     *
     * @param file          the vector file as written in the document (resolved later against the base directory)
     * @param layers        0-based decoder layers; the vector for layer L acts after block L
     * @param coefficient   multiplier for {@code add}
     * @param operator      {@code add}, {@code project-to} or {@code ablate}
     * @param target        target projection for {@code project-to}
     * @param positions     which token positions are steered
     * @param normalization scaling applied to the file's vectors
     * @param location      where the entry is written, for later messages about it
     */
    public record VectorEntry(String file, List<Integer> layers, double coefficient, SteeringOperator operator,
                              double target, SteeringPositions positions, Normalisation normalization,
                              SourceLocation location) {
        public VectorEntry {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(positions, "positions");
            Objects.requireNonNull(normalization, "normalization");
            Objects.requireNonNull(location, "location");
            layers = List.copyOf(layers);
        }

        /** The entry as the steering library resolves it (file still relative to the base directory). */
        public io.steerguard.steering.VectorEntry toSteering() {
            return new io.steerguard.steering.VectorEntry(file, layers, coefficient, operator, target, positions,
                    normalization);
        }
    }
}
