package io.steerguard.tenant;

import io.steerguard.config.ConfigSet;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.config.TenantDocument;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling and what they may do. Immutable; a configuration reload builds a new directory.
 */
public final class TenantDirectory {

    private final Map<String, Tenant> byKeyHash;
    private final Map<String, Tenant> byName;

    private TenantDirectory(Map<String, Tenant> byKeyHash, Map<String, Tenant> byName) {
        this.byKeyHash = Map.copyOf(byKeyHash);
        this.byName = Map.copyOf(byName);
    }

    public static TenantDirectory from(ConfigSet config) {
        Map<String, Tenant> byKey = new HashMap<>();
        Map<String, Tenant> byName = new HashMap<>();
        for (TenantDocument doc : config.tenants().values()) {
            Map<String, Tenant.ModelAccess> models = new HashMap<>();
            doc.models().forEach((model, grant) -> {
                Set<String> allowed = new HashSet<>(grant.allowedProfiles());
                allowed.add(grant.defaultProfile());
                Map<String, Tenant.Rollout> rollouts = new HashMap<>();
                grant.rollouts().forEach((profile, r) -> rollouts.put(profile, new Tenant.Rollout(r.candidate(), r.share())));
                models.put(model, new Tenant.ModelAccess(grant.defaultProfile(), allowed, rollouts));
            });
            Tenant tenant = new Tenant(doc.name(), models);
            byName.put(doc.name(), tenant);
            doc.apiKeySha256().forEach(hash -> byKey.put(hash, tenant));
        }
        return new TenantDirectory(byKey, byName);
    }

    /**
     * The tenant owning {@code presentedKey}: the presented key is hashed (SHA-256) and the digest
     * looked up in a map of configured digests. There is no comparison of secrets to make
     * constant-time: the only comparisons are the map's, between the presented key's digest and
     * stored digests, and their timing can at most tell an attacker how many leading hex digits of
     * a digest of their own choosing match a stored digest. That is information about the stored
     * digest, which is not secret enough to matter (it is in the configuration): turning it into a
     * key needs a SHA-256 preimage. Keys must therefore be random and long (at least 128 bits), so
     * that guessing, not timing, is the only attack, and rate-limited as any failed request is.
     */
    public Optional<Tenant> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byKeyHash.get(ApiKeys.sha256Hex(presentedKey)));
    }

    public Optional<Tenant> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every tenant, sorted by name. */
    public List<Tenant> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(Tenant::name)).toList();
    }

    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /**
     * Chooses the profile for a request of {@code tenant} to {@code model}.
     *
     * @param requested the profile the client asked for, or {@code null} for the tenant's default
     */
    public static ProfileChoice choose(Tenant tenant, String model, String requested) {
        Tenant.ModelAccess access = model == null ? null : tenant.models().get(model);
        if (access == null) {
            return new ProfileChoice.UnknownModel(model);
        }
        if (requested == null || requested.isEmpty()) {
            return new ProfileChoice.Chosen(access.defaultProfile(), false);
        }
        if (!access.allowedProfiles().contains(requested)) {
            return new ProfileChoice.NotAllowed(requested, model);
        }
        return new ProfileChoice.Chosen(requested, true);
    }

    /** Whether a profile name means "no steering". */
    public static boolean isUnsteered(String profile) {
        return SteeringProfileDocument.UNSTEERED.equals(profile);
    }
}
