package io.steerguard.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which traffic a policy governs. Every part that is given must match; an absent part matches all.
 *
 * <p>Statistics and profile state are per profile, so {@code profiles} and {@code labels} decide
 * whether a policy's limits judge a profile. {@code tenants} narrows where the policy acts: its
 * shadow sampling and its action apply only to requests of the matching tenants.
 *
 * @param profiles profile names or globs; empty means every profile
 * @param tenants  tenant names or globs; empty means every tenant
 * @param labels   labels the profile's {@code metadata.labels} must carry with these exact values
 */
public record Selector(List<Glob> profiles, List<Glob> tenants, Map<String, String> labels) {

    public static final Selector ALL = new Selector(List.of(), List.of(), Map.of());

    public Selector {
        profiles = List.copyOf(profiles);
        tenants = List.copyOf(tenants);
        labels = Map.copyOf(labels);
    }

    public static Selector of(List<String> profiles, List<String> tenants, Map<String, String> labels) {
        return new Selector(profiles.stream().map(Glob::of).toList(), tenants.stream().map(Glob::of).toList(), labels);
    }

    /** Whether the policy's limits judge this profile. */
    public boolean matchesProfile(String profile, Map<String, String> profileLabels) {
        Objects.requireNonNull(profileLabels, "profileLabels");
        boolean nameOk = profiles.isEmpty() || profiles.stream().anyMatch(g -> g.matches(profile));
        return nameOk && labels.entrySet().stream().allMatch(e -> e.getValue().equals(profileLabels.get(e.getKey())));
    }

    /** Whether the policy acts on requests of this tenant. */
    public boolean matchesTenant(String tenant) {
        return tenants.isEmpty() || tenants.stream().anyMatch(g -> g.matches(tenant));
    }
}
