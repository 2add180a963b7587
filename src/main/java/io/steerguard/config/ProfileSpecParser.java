package io.steerguard.config;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Reads the {@code spec} of a {@code SteeringProfile} document. */
final class ProfileSpecParser {

    private static final List<String> OPERATORS =
            Arrays.stream(SteeringOperator.values()).map(SteeringOperator::configName).toList();
    private static final List<String> POSITIONS =
            Arrays.stream(SteeringPositions.Mode.values()).map(SteeringPositions.Mode::configName).toList();
    private static final List<String> NORMALIZATIONS = Arrays.stream(io.steerguard.steering.Normalisation.values())
            .map(io.steerguard.steering.Normalisation::configName).toList();

    private ProfileSpecParser() {
    }

    static SteeringProfileDocument parse(DocumentMetadata metadata, SourceLocation location, YamlView spec) {
        spec.allowOnly(Set.of("runtime", "servedBy", "description", "vectors"));
        String runtime = spec.requiredString("runtime").orElse("");
        String servedBy = spec.string("servedBy").orElse("");
        if (spec.has("servedBy") && servedBy.isBlank()) {
            spec.error("servedBy", "must name a Runtime");
        }
        String description = spec.string("description").orElse("");
        List<SteeringProfileDocument.VectorEntry> vectors = new ArrayList<>();
        for (YamlView v : spec.listOfMappings("vectors")) {
            vectors.add(entry(v));
        }
        if (spec.has("vectors") && vectors.isEmpty()) {
            spec.warning("vectors", "no vectors: this profile steers nothing, like 'unsteered'");
        }
        return new SteeringProfileDocument(metadata, location, runtime, spec.location("runtime"), servedBy,
                spec.location("servedBy"), description, vectors);
    }

    private static SteeringProfileDocument.VectorEntry entry(YamlView v) {
        v.allowOnly(Set.of("file", "layers", "coefficient", "operator", "target", "positions", "firstK", "normalize"));
        String file = v.requiredString("file").orElse("");
        List<Integer> layers = v.intList("layers", 0, 1023);
        if (!v.has("layers")) {
            v.error("layers", "required field is missing");
        } else if (layers.isEmpty()) {
            v.error("layers", "must list at least one layer");
        } else if (layers.stream().distinct().count() != layers.size()) {
            v.error("layers", "duplicate layer in " + layers);
        }
        double coefficient = v.number("coefficient", -1000, 1000).orElse(1.0);
        SteeringOperator operator = v.oneOf("operator", OPERATORS).map(SteeringOperator::fromConfigName)
                .orElse(SteeringOperator.ADD);
        double target = v.number("target", -1e6, 1e6).orElse(0.0);
        if (operator == SteeringOperator.PROJECT_TO && !v.has("target")) {
            v.error("target", "required when operator is project-to");
        } else if (operator != SteeringOperator.PROJECT_TO && v.has("target")) {
            v.error("target", "only used with operator project-to");
        }
        SteeringPositions.Mode mode = v.oneOf("positions", POSITIONS).map(SteeringPositions.Mode::fromConfigName)
                .orElse(SteeringPositions.Mode.ALL);
        int k = v.integer("firstK", 1, 4096).orElse(1);
        if (mode == SteeringPositions.Mode.FIRST_K && !v.has("firstK")) {
            v.error("firstK", "required when positions is first-k");
        } else if (mode != SteeringPositions.Mode.FIRST_K && v.has("firstK")) {
            v.error("firstK", "only used with positions first-k");
        }
        io.steerguard.steering.Normalisation normalization = v.oneOf("normalize", NORMALIZATIONS)
                .map(n -> io.steerguard.steering.Normalisation.values()[NORMALIZATIONS.indexOf(n)])
                .orElse(io.steerguard.steering.Normalisation.NONE);
        return new SteeringProfileDocument.VectorEntry(file, layers, coefficient, operator, target,
                new SteeringPositions(mode, k), normalization, v.location());
    }
}
