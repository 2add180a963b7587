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
         * {@code apiKeyEnv} value as that bearer token. Runtime mode refuses to start without it
         * unless {@link #insecureNoKey()} is set.
         */
        Optional<String> apiKeySha256();

        /**
         * Serve {@code /v1/*} without a key (env {@code STEERGUARD_RUNTIME_INSECURE_NO_KEY}). Off by
         * default: runtime mode without {@link #apiKeySha256()} then fails at start-up. Set it only
         * where a network policy admits nothing but gateways.
         */
        @WithDefault("false")
        boolean insecureNoKey();

        /** The largest {@code |scale|} a request's vector may carry; larger is a 400 naming the field. */
        @WithDefault("64")
        double maxScale();

        /** The most vectors one request's {@code steering} may carry. */
        @WithDefault("8")
        int maxVectors();

        /**
         * The most (vector, layer) pairs one request may steer, counting the layers a file decides
         * when a vector names none.
         */
        @WithDefault("128")
        int maxLayers();

        /**
         * The byte budget of the parsed-vector cache (directions at 4 bytes a float, keyed by file or
         * payload content; least recently used evicted first).
         */
        @WithDefault("256M")
        io.quarkus.runtime.configuration.MemorySize vectorCacheBytes();
    }

    default boolean runtimeMode() {
        return mode() == Mode.RUNTIME;
    }
}
