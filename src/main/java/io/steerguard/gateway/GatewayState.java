package io.steerguard.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.steerguard.config.ConfigSet;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.tenant.TenantDirectory;

/**
 * Everything a request needs, from one consistent configuration. Replaced atomically on reload,
 * so a request sees either the old or the new configuration, never a mix.
 *
 * @param config    the documents in force
 * @param runtimes  a live runtime per runtime name
 * @param profiles  the resolved steering of every profile (vectors loaded for embedded runtimes)
 * @param tenants   keys and grants
 * @param appliedAt when this configuration took effect
 */
public record GatewayState(ConfigSet config, Map<String, ModelRuntime> runtimes, Map<String, SteeringSpec> profiles,
                           TenantDirectory tenants, Instant appliedAt) {

    public GatewayState {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(appliedAt, "appliedAt");
        runtimes = Map.copyOf(runtimes);
        profiles = Map.copyOf(profiles);
    }

    public Optional<ModelRuntime> runtime(String name) {
        return Optional.ofNullable(runtimes.get(name));
    }

    /** The steering of {@code profile}; {@link SteeringSpec#none()} for {@code unsteered}. */
    public SteeringSpec steering(String profile) {
        return profiles.getOrDefault(profile, SteeringSpec.none());
    }

    /**
     * The runtime that serves {@code profile} steered when it is not the model the client asked for
     * (a server steered process-wide, {@code spec.servedBy}); empty for per-request steering.
     */
    public Optional<String> servedBy(String profile) {
        var doc = config.profiles().get(profile);
        return doc == null || !doc.routed() ? Optional.empty() : Optional.of(doc.servedBy());
    }
}
