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
     */
    public record ModelAccess(String defaultProfile, Set<String> allowedProfiles) {
        public ModelAccess {
            Objects.requireNonNull(defaultProfile, "defaultProfile");
            allowedProfiles = Set.copyOf(allowedProfiles);
            if (!allowedProfiles.contains(defaultProfile)) {
                throw new IllegalArgumentException("the default profile must be allowed");
            }
        }
    }
}
