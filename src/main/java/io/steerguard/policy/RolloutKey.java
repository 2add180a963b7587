package io.steerguard.policy;

import java.util.Objects;

/**
 * One rollout: a tenant's profile (the profile names its runtime, so tenant and profile suffice).
 *
 * @param tenant  the configured tenant
 * @param profile the profile the tenant is served, whose requests the candidate shares
 */
public record RolloutKey(String tenant, String profile) {

    public RolloutKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
    }

    /** {@code tenant/profile}: the field of the shared hash and the id in the admin API. */
    public String id() {
        return tenant + "/" + profile;
    }
}
