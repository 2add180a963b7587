package io.steerguard.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code kind: Tenant}: who may call which models with which steering.
 *
 * @param apiKeySha256 lowercase hex SHA-256 digests of the tenant's keys (keys themselves are never stored)
 * @param models       per runtime name, the default profile and the profiles the tenant may select
 * @param rateLimit    request rate limit, or {@code null} for none
 * @param maxConcurrentRequests requests of this tenant served at once, or {@code null} for the
 *                     gateway-wide default ({@code steerguard.api.max-concurrent-requests-per-tenant})
 */
public record TenantDocument(DocumentMetadata metadata, SourceLocation location, List<String> apiKeySha256,
                             Map<String, ModelGrant> models, RateLimit rateLimit, Integer maxConcurrentRequests)
        implements ConfigDocument {

    public static final String KIND = "Tenant";

    public TenantDocument {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        apiKeySha256 = List.copyOf(apiKeySha256);
        models = Map.copyOf(models);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * @param defaultProfile  applied when the client asks for no profile ({@code unsteered} for none)
     * @param allowedProfiles profiles the client may select explicitly; the default is always allowed
     * @param location        where {@code defaultProfile} is written (the grant itself when it is absent)
     * @param allowedLocation where {@code allowedProfiles} is written (the grant itself when it is absent)
     * @param rollouts        per profile of this grant, a candidate that serves a share of its requests
     *                        behind the safety gate (see docs/rollout.md)
     */
    public record ModelGrant(String defaultProfile, List<String> allowedProfiles, SourceLocation location,
                             SourceLocation allowedLocation, Map<String, Rollout> rollouts) {
        public ModelGrant {
            Objects.requireNonNull(defaultProfile, "defaultProfile");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(allowedLocation, "allowedLocation");
            allowedProfiles = List.copyOf(allowedProfiles);
            rollouts = Map.copyOf(rollouts);
        }

        /** A grant without rollouts. */
        public ModelGrant(String defaultProfile, List<String> allowedProfiles, SourceLocation location,
                          SourceLocation allowedLocation) {
            this(defaultProfile, allowedProfiles, location, allowedLocation, Map.of());
        }
    }

    /**
     * {@code rollouts.<profile>: {candidate, share}}: requests of this tenant for the profile are
     * served with {@code candidate} at probability {@code share}, until the gate promotes or rolls
     * it back.
     *
     * @param candidate         a configured steering profile for the same runtime
     * @param share             the probability that one request is served with the candidate, in (0, 1)
     * @param location          where the rollout entry is written
     * @param candidateLocation where {@code candidate} is written
     */
    public record Rollout(String candidate, double share, SourceLocation location, SourceLocation candidateLocation) {
        public Rollout {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(candidateLocation, "candidateLocation");
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("share must be within (0, 1), got " + share);
            }
        }
    }

    /**
     * A token bucket: {@code requestsPerSecond} sustained, {@code burst} at once.
     */
    public record RateLimit(double requestsPerSecond, int burst) {
        public RateLimit {
            if (!(requestsPerSecond > 0)) {
                throw new IllegalArgumentException("requestsPerSecond must be positive");
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1");
            }
        }
    }
}
