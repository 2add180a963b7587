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
                models.put(model, new Tenant.ModelAccess(grant.defaultProfile(), allowed));
            });
            Tenant tenant = new Tenant(doc.name(), models);
            byName.put(doc.name(), tenant);
            doc.apiKeySha256().forEach(hash -> byKey.put(hash, tenant));
        }
        return new TenantDirectory(byKey, byName);
    }

    /**
     * The tenant owning {@code presentedKey}. The lookup is by the key's SHA-256, so lookup timing
     * reveals nothing about the key itself; the final comparison is constant-time.
     */
    public Optional<Tenant> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        String hash = ApiKeys.sha256Hex(presentedKey);
        Tenant tenant = byKeyHash.get(hash);
        return tenant != null && ApiKeys.matches(presentedKey, hash) ? Optional.of(tenant) : Optional.empty();
    }

    public Optional<Tenant> byName(String name) {
        return Optional.ofNullable(byName.get(name));
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
