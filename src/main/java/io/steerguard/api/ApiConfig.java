package io.steerguard.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The public OpenAI-compatible API ({@code steerguard.api.*}). */
@ConfigMapping(prefix = "steerguard.api")
public interface ApiConfig {

    /** Largest accepted request body in bytes; larger bodies get 413 with an OpenAI error JSON. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** {@code max_tokens} applied when a request sets none. */
    @WithDefault("512")
    int defaultMaxTokens();

    /** Largest {@code max_tokens} a request may ask for. */
    @WithDefault("32768")
    int maxTokensLimit();

    /**
     * Requests one tenant may have in flight at once (counted from its headers until its response
     * ends); more get 429 {@code concurrency_limit_exceeded}. A Tenant document's
     * {@code spec.maxConcurrentRequests} overrides it for that tenant.
     */
    @WithDefault("64")
    int maxConcurrentRequestsPerTenant();

    /**
     * How long a client may leave its response unread (our write queue to it stays full) before
     * its connection is closed; this frees its generation and upstream slot and no one else's.
     */
    @WithDefault("30s")
    Duration streamStallTimeout();
}
