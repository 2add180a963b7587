package io.steerguard.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code spec} of a {@code Tenant} document. */
final class TenantSpecParser {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private TenantSpecParser() {
    }

    static TenantDocument parse(DocumentMetadata metadata, SourceLocation location, YamlView spec) {
        spec.allowOnly(Set.of("apiKeys", "models", "rateLimit", "maxConcurrentRequests"));
        List<String> hashes = new ArrayList<>();
        for (YamlView key : spec.listOfMappings("apiKeys")) {
            key.allowOnly(Set.of("sha256", "description"));
            key.requiredString("sha256").ifPresent(h -> {
                if (SHA256_HEX.matcher(h).matches()) {
                    hashes.add(h);
                } else {
                    key.error("sha256", "expected 64 lowercase hex characters (the SHA-256 of the key, "
                            + "e.g. from: printf %s \"$KEY\" | sha256sum)");
                }
            });
        }
        if (hashes.isEmpty() && !spec.has("apiKeys")) {
            spec.warning("apiKeys", "no API keys: nobody can call as this tenant");
        }
        Map<String, TenantDocument.ModelGrant> models = new LinkedHashMap<>();
        spec.mappingOfMappings("models").forEach((model, grant) -> {
            grant.allowOnly(Set.of("defaultProfile", "allowedProfiles"));
            String defaultProfile = grant.string("defaultProfile").orElse(SteeringProfileDocument.UNSTEERED);
            models.put(model, new TenantDocument.ModelGrant(defaultProfile, grant.stringList("allowedProfiles"),
                    grant.location("defaultProfile"), grant.location("allowedProfiles")));
        });
        if (!spec.has("models")) {
            spec.error("models", "required field is missing: list the runtimes this tenant may call");
        }
        TenantDocument.RateLimit rateLimit = spec.mapping("rateLimit").map(r -> {
            r.allowOnly(Set.of("requestsPerSecond", "burst"));
            double rps = r.number("requestsPerSecond", 0.001, 1_000_000).orElse(0.0);
            if (!r.has("requestsPerSecond")) {
                r.error("requestsPerSecond", "required field is missing");
            }
            int burst = r.integer("burst", 1, 1_000_000).orElse((int) Math.max(1, Math.ceil(rps)));
            return rps > 0 ? new TenantDocument.RateLimit(rps, burst) : null;
        }).orElse(null);
        Integer maxConcurrent = spec.integer("maxConcurrentRequests", 1, 1_000_000).orElse(null);
        return new TenantDocument(metadata, location, hashes, models, rateLimit, maxConcurrent);
    }
}
