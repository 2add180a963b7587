package io.steerguard.tenant;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant as the request path sees it.
 *
 * @param name   configured tenant id (a bounded metric tag)
 * @param models per runtime name, what the tenant may do with it
 */
public record Tenant(String name, Map<String, ModelAccess> models) {

    public Tenant {
        Objects.requireNonNull(name, "name");
        models = Map.copyOf(models);
    }

    /**
     * @param defaultProfile  used when the request names no profile
     * @param allowedProfiles every profile the tenant may select, including the default
     * @param rollouts        per allowed profile, the candidate that serves a share of its requests
     */
    public record ModelAccess(String defaultProfile, Set<String> allowedProfiles, Map<String, Rollout> rollouts) {
        public ModelAccess {
            Objects.requireNonNull(defaultProfile, "defaultProfile");
            allowedProfiles = Set.copyOf(allowedProfiles);
            rollouts = Map.copyOf(rollouts);
            if (!allowedProfiles.contains(defaultProfile)) {
                throw new IllegalArgumentException("the default profile must be allowed");
            }
            if (!allowedProfiles.containsAll(rollouts.keySet())) {
                throw new IllegalArgumentException("only an allowed profile can be rolled out");
            }
        }

        public ModelAccess(String defaultProfile, Set<String> allowedProfiles) {
            this(defaultProfile, allowedProfiles, Map.of());
        }
    }

    /**
     * A configured rollout: requests for the profile are served with {@code candidate} at
     * probability {@code share} while the rollout runs (see {@code io.steerguard.gateway.Rollouts}).
     */
    public record Rollout(String candidate, double share) {
        public Rollout {
            Objects.requireNonNull(candidate, "candidate");
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("share must be within (0, 1), got " + share);
            }
        }
    }
}
