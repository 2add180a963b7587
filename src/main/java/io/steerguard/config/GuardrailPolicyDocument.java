package io.steerguard.config;

import io.steerguard.policy.GuardrailPolicy;

import java.util.Objects;

/**
 * {@code kind: GuardrailPolicy}: limits on the safety statistics of the steering profiles it
 * selects, and what happens when they are exceeded.
 *
 * @param policy           the parsed content; its name is {@code metadata.name}
 * @param profilesLocation where {@code spec.selector.profiles} is written, for reference warnings
 */
public record GuardrailPolicyDocument(DocumentMetadata metadata, SourceLocation location, GuardrailPolicy policy,
                                      SourceLocation profilesLocation) implements ConfigDocument {

    public static final String KIND = "GuardrailPolicy";

    public GuardrailPolicyDocument {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(profilesLocation, "profilesLocation");
        if (!policy.name().equals(metadata.name())) {
            throw new IllegalArgumentException("policy name must be metadata.name");
        }
    }

    @Override
    public String kind() {
        return KIND;
    }
}
