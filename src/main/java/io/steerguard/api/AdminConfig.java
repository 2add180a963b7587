package io.steerguard.api;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The admin API under {@code /admin/*} ({@code steerguard.admin.*}). */
@ConfigMapping(prefix = "steerguard.admin")
public interface AdminConfig {

    /**
     * Lowercase hex SHA-256 of the admin key (env {@code STEERGUARD_ADMIN_API_KEY_SHA256}). The key
     * itself is never configured. Unset: every admin endpoint answers 401. Tenant keys never work here.
     */
    Optional<String> apiKeySha256();
}
