package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.config.ConfigLoader;
import io.steerguard.config.ConfigProblem;
import io.steerguard.config.ConfigSet;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorSet;

/** A routed profile's vectors are read locally (audit, identity) but the profile is steered only if they read. */
class RoutedProfileResolverTest {

    private static final Path ROUTED = Path.of("src/test/resources/testdata/config/routed/llama-cpp.yaml");

    @TempDir
    Path baseDir;

    private ConfigSet config() {
        return ((ConfigLoader.Outcome.Loaded) new ConfigLoader().load(List.of(ROUTED))).config();
    }

    private DefaultProfileResolver resolver() {
        return new DefaultProfileResolver(new DocumentsConfig() {
            @Override
            public List<Path> paths() {
                return List.of(ROUTED);
            }

            @Override
            public Path baseDir() {
                return baseDir;
            }

            @Override
            public Duration reloadInterval() {
                return Duration.ZERO;
            }

            @Override
            public Duration drainTimeout() {
                return Duration.ZERO;
            }
        });
    }

    @Test
    void routedProfile_withAMissingVectorFile_isAnErrorNamingFileLineAndField() {
        ConfigSet config = config();
        SteeringProfileDocument profile = config.profiles().get("compliance");
        List<ConfigProblem> problems = new ArrayList<>();

        var spec = resolver().resolve(profile, config.runtimes().get("llama-plain"), null, problems);

        assertThat(spec).isEmpty();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).toString()).contains("llama-cpp.yaml:18:").contains("spec.vectors[0].file")
                .contains("served by 'llama-compliance'").contains("compliance.gguf");
    }

    @Test
    void routedProfile_withReadableVectors_isSteered() throws IOException {
        VectorFiles.write(VectorSet.of("llama", Map.of(3, new float[] {1f, 0f, 0f, 0f})),
                baseDir.resolve("compliance.gguf"));
        ConfigSet config = config();
        List<ConfigProblem> problems = new ArrayList<>();

        var spec = resolver().resolve(config.profiles().get("compliance"), config.runtimes().get("llama-plain"), null,
                problems);

        assertThat(problems).isEmpty();
        assertThat(spec).hasValueSatisfying(s -> assertThat(s.isNone()).isFalse());
        assertThat(DefaultProfileResolver.vectorFiles(config, baseDir)).containsExactly(baseDir.resolve("compliance.gguf"));
    }
}
