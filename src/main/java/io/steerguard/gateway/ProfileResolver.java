package io.steerguard.gateway;

import java.util.List;
import java.util.Optional;

import io.steerguard.config.ConfigProblem;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;

/** Turns a {@code SteeringProfile} document into the {@link SteeringSpec} its runtime applies. */
public interface ProfileResolver {

    /**
     * @param document the profile's runtime document
     * @param runtime  the live runtime the profile will steer
     * @param problems where to report files that cannot be used; an error rejects the change
     * @return the steering, or empty when an error was reported
     */
    Optional<SteeringSpec> resolve(SteeringProfileDocument profile, RuntimeDocument document, ModelRuntime runtime,
                                   List<ConfigProblem> problems);
}
