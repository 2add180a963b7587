package io.steerguard.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What this instance serves ({@code steerguard.mode}, env {@code STEERGUARD_MODE}), and the
 * settings of runtime mode ({@code steerguard.runtime.*}).
 */
@ConfigMapping(prefix = "steerguard")
public interface ServingModeConfig {

    /** The two ways the same image runs. */
    enum Mode {
        /** Tenants, profiles, policies, shadow traffic and probes in front of runtimes (the default). */
        GATEWAY,
        /**
         * Only the model: the configuration holds {@code Runtime} documents of {@code type: embedded},
         * {@code /v1/*} serves them directly and reads EasySteer's {@code steering} object per request,
         * so a gateway's {@code easysteer} runtime can use this instance as its GPU backend.
         */
        RUNTIME
    }

    /** {@code gateway} (default) or {@code runtime}. */
    @WithDefault("gateway")
    Mode mode();

    /** Runtime-mode settings; ignored in gateway mode. */
    RuntimeMode runtime();

    /** {@code steerguard.runtime.*}. */
    interface RuntimeMode {

        /**
         * The folder vector {@code source} paths resolve against (env
         * {@code STEERGUARD_RUNTIME_VECTORS_DIR}); a path that leaves it is rejected with 400. Unset:
         * every request with vectors is rejected and only unsteered generation is served.
         */
        Optional<Path> vectorsDir();

        /**
         * Lowercase hex SHA-256 of the bearer key {@code /v1/*} requires (env
         * {@code STEERGUARD_RUNTIME_API_KEY_SHA256}); the gateway's easysteer runtime sends its
         * {@code apiKeyEnv} value as that bearer token. Unset: no key is checked, so keep the runtime
         * behind a network policy that admits only gateways.
         */
        Optional<String> apiKeySha256();
    }

    default boolean runtimeMode() {
        return mode() == Mode.RUNTIME;
    }
}
