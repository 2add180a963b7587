package io.steerguard.training.evaluation;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorEntry;

/**
 * A steering vector file as a profile would use it: operator add, every position, every layer the
 * file holds, no normalisation, resolved and validated by the gateway's {@link SteeringResolver};
 * then rescaled per coefficient.
 *
 * @param file   the vector file
 * @param spec   the resolved steering at coefficient 1
 */
public record VectorSteering(Path file, SteeringSpec spec) {

    public static VectorSteering load(Path file, ModelConfig model) {
        return load(file, model, List.of(), SteeringPositions.ALL);
    }

    /**
     * The vector at {@code layers} only (as a profile's {@code layers:} selects them; empty means every
     * layer), applied at {@code positions}.
     */
    public static VectorSteering load(Path file, ModelConfig model, List<Integer> layers, SteeringPositions positions) {
        ProfileResolution resolution = SteeringResolver.standalone(model.hiddenSize(), model.numLayers(),
                        model.family().name().toLowerCase(Locale.ROOT))
                .resolve(List.of(new VectorEntry(file.toString(), layers, 1.0, SteeringOperator.ADD, 0, positions,
                        io.steerguard.steering.Normalisation.NONE)), Map.of());
        if (resolution instanceof ProfileResolution.Unavailable u) {
            throw new IllegalArgumentException("vector " + file + ": " + u.errors().get(0).getMessage());
        }
        return new VectorSteering(file, ((ProfileResolution.Ready) resolution).spec());
    }

    /** The positions steered, as configuration spells them ({@code all}, {@code prompt}, ...). */
    public String positions() {
        SteeringPositions p = spec.entries().get(0).positions();
        return p.mode() == SteeringPositions.Mode.FIRST_K ? "first-" + p.k() : p.mode().configName();
    }

    /** The layers steered. */
    public List<Integer> layers() {
        return spec.steeredLayers();
    }

    /** The same steering with every entry's coefficient multiplied by {@code c}; 0 gives no steering. */
    public SteeringSpec at(double c) {
        if (c == 0) {
            return SteeringSpec.none();
        }
        List<SteeringSpec.Entry> entries = new ArrayList<>();
        for (SteeringSpec.Entry e : spec.entries()) {
            entries.add(new SteeringSpec.Entry(e.source(), e.layers(), e.directions(), c * e.coefficient(), e.operator(),
                    e.target(), e.positions(), e.normalize()));
        }
        return new SteeringSpec(entries);
    }
}
