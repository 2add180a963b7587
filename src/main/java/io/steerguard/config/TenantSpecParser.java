package io.steerguard.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
            grant.allowOnly(Set.of("defaultProfile", "allowedProfiles", "rollouts"));
            String defaultProfile = grant.string("defaultProfile").orElse(SteeringProfileDocument.UNSTEERED);
            models.put(model, new TenantDocument.ModelGrant(defaultProfile, grant.stringList("allowedProfiles"),
                    grant.location("defaultProfile"), grant.location("allowedProfiles"), rollouts(grant)));
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

    /** {@code rollouts: {<profile>: {candidate: <profile>, share: 0.1}}}; cross-references are checked later. */
    private static Map<String, TenantDocument.Rollout> rollouts(YamlView grant) {
        Map<String, TenantDocument.Rollout> rollouts = new LinkedHashMap<>();
        grant.mappingOfMappings("rollouts").forEach((profile, r) -> {
            r.allowOnly(Set.of("candidate", "share"));
            Optional<String> candidate = r.requiredString("candidate");
            Optional<Double> share = r.number("share", 0, 1);
            if (!r.has("share")) {
                r.error("share", "required field is missing: the share of requests served with the candidate, "
                        + "e.g. 0.1");
            } else if (share.isPresent() && (share.get() <= 0 || share.get() >= 1)) {
                r.error("share", "must be above 0 and below 1, got " + share.get() + " (to serve the candidate to "
                        + "everyone or no one, promote or roll back through the admin API)");
                share = Optional.empty();
            }
            if (candidate.isPresent() && share.isPresent()) {
                rollouts.put(profile, new TenantDocument.Rollout(candidate.get(), share.get(), r.location(),
                        r.location("candidate")));
            }
        });
        return rollouts;
    }
}
