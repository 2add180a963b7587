package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;
import io.steerguard.config.ServingModeConfig;

/** #12.7: runtime mode is closed by default. */
class RuntimeModeStartupTest {

    private static ServingModeConfig config(ServingModeConfig.Mode mode, Optional<String> key, boolean insecure) {
        return new ServingModeConfig() {
            @Override
            public Mode mode() {
                return mode;
            }

            @Override
            public RuntimeMode runtime() {
                return new RuntimeMode() {
                    @Override
                    public Optional<Path> vectorsDir() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> apiKeySha256() {
                        return key;
                    }

                    @Override
                    public boolean insecureNoKey() {
                        return insecure;
                    }

                    @Override
                    public double maxScale() {
                        return 64;
                    }

                    @Override
                    public int maxVectors() {
                        return 8;
                    }

                    @Override
                    public int maxLayers() {
                        return 128;
                    }

                    @Override
                    public MemorySize vectorCacheBytes() {
                        return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
                    }
                };
            }
        };
    }

    @Test
    void runtimeModeWithoutAKey_refusesToStart_namingBothWaysOut() {
        assertThat(RuntimeModeHandler.startupProblem(config(ServingModeConfig.Mode.RUNTIME, Optional.empty(), false)))
                .hasValueSatisfying(m -> assertThat(m).contains("steerguard.runtime.api-key-sha256")
                        .contains("steerguard.runtime.insecure-no-key=true"));
        assertThat(RuntimeModeHandler.startupProblem(config(ServingModeConfig.Mode.RUNTIME, Optional.of("  "), false)))
                .isPresent();
    }

    @Test
    void aKey_orTheExplicitInsecureFlag_orGatewayMode_start() {
        assertThat(RuntimeModeHandler.startupProblem(config(ServingModeConfig.Mode.RUNTIME, Optional.of("ab12"), false)))
                .isEmpty();
        assertThat(RuntimeModeHandler.startupProblem(config(ServingModeConfig.Mode.RUNTIME, Optional.empty(), true)))
                .isEmpty();
        assertThat(RuntimeModeHandler.startupProblem(config(ServingModeConfig.Mode.GATEWAY, Optional.empty(), false)))
                .isEmpty();
    }
}
