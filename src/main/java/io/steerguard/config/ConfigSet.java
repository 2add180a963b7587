package io.steerguard.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete, cross-checked configuration: every reference resolves. Built only by
 * {@link ConfigValidator}, so holding one means the documents are consistent.
 *
 * @param runtimes    by name (the OpenAI model id)
 * @param profiles    by name
 * @param tenants     by name
 * @param policies    guardrail policies by name
 * @param fingerprint SHA-256 over the files' paths and contents, to tell configurations apart in logs
 */
public record ConfigSet(Map<String, RuntimeDocument> runtimes, Map<String, SteeringProfileDocument> profiles,
                        Map<String, TenantDocument> tenants, Map<String, GuardrailPolicyDocument> policies,
                        String fingerprint) {

    public ConfigSet {
        runtimes = Map.copyOf(runtimes);
        profiles = Map.copyOf(profiles);
        tenants = Map.copyOf(tenants);
        policies = Map.copyOf(policies);
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A set without policies (the form before GuardrailPolicy documents existed). */
    public ConfigSet(Map<String, RuntimeDocument> runtimes, Map<String, SteeringProfileDocument> profiles,
                     Map<String, TenantDocument> tenants, String fingerprint) {
        this(runtimes, profiles, tenants, Map.of(), fingerprint);
    }

    public static ConfigSet empty() {
        return new ConfigSet(Map.of(), Map.of(), Map.of(), Map.of(), "empty");
    }

    /** Every document, for listing. */
    public List<ConfigDocument> documents() {
        return java.util.stream.Stream.of(runtimes.values(), profiles.values(), tenants.values(), policies.values())
                .flatMap(java.util.Collection::stream).map(d -> (ConfigDocument) d).toList();
    }
}
