package io.steerguard.steering;

import io.steerguard.runtime.SteeringSpec;
import java.util.List;
import java.util.Objects;

/** The outcome of turning a profile's vector entries into a {@link SteeringSpec}. */
public sealed interface ProfileResolution {

    /**
     * The profile can steer.
     *
     * @param spec       what to hand the runtime
     * @param warnings   tolerated oddities (e.g. model-hint mismatch under WARN)
     * @param staleFiles files that failed to reload; their last good vectors are in {@code spec}
     */
    record Ready(SteeringSpec spec, List<VectorWarning> warnings, List<VectorFileException> staleFiles)
            implements ProfileResolution {
        public Ready {
            Objects.requireNonNull(spec, "spec");
            warnings = List.copyOf(warnings);
            staleFiles = List.copyOf(staleFiles);
        }
    }

    /**
     * At least one entry has never had good vectors; the profile cannot steer.
     *
     * @param errors one per failing file
     */
    record Unavailable(List<VectorFileException> errors) implements ProfileResolution {
        public Unavailable {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an unavailable profile needs at least one error");
            }
        }
    }
}
