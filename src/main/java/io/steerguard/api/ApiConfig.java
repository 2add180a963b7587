package io.steerguard.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
