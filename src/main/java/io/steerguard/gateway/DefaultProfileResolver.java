package io.steerguard.gateway;

import java.util.List;
import java.util.Optional;

import io.steerguard.config.ConfigProblem;
import io.steerguard.config.RemoteProfiles;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.SteeringSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves profiles per runtime type: remote steerable runtimes get file references (the server
 * loads them); embedded runtimes get loaded, validated directions.
 */
@ApplicationScoped
public class DefaultProfileResolver implements ProfileResolver {

    @Override
    public Optional<SteeringSpec> resolve(SteeringProfileDocument profile, RuntimeDocument runtime,
                                          List<ConfigProblem> problems) {
        if (runtime.spec() instanceof RuntimeDocument.Remote) {
            return Optional.of(RemoteProfiles.spec(profile));
        }
        problems.add(ConfigProblem.error(profile.location(), "spec.vectors", "WIP embedded"));
        return Optional.empty();
    }
}
