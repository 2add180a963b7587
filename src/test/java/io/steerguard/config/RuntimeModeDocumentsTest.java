package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeModeDocumentsTest {

    @TempDir
    Path dir;

    private ConfigSet load(String yaml) throws Exception {
        Files.writeString(dir.resolve("docs.yaml"), yaml);
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(dir));
        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        return ((ConfigLoader.Outcome.Loaded) outcome).config();
    }

    private static final String EMBEDDED = """
            apiVersion: steerguard.io/v1
            kind: Runtime
            metadata: {name: local}
            spec: {type: embedded, model: models/tiny-random, device: cpu}
            """;

    @Test
    void embeddedRuntimesAlone_fitRuntimeMode() throws Exception {
        assertThat(RuntimeModeDocuments.problems(load(EMBEDDED))).isEmpty();
    }

    @Test
    void remoteRuntimes_profiles_andTenants_areErrors_thatPointToTheGateway() throws Exception {
        ConfigSet config = load(EMBEDDED + """
                ---
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: far}
                spec: {type: openai, baseUrl: "http://example.invalid/v1"}
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: p}
                spec:
                  runtime: local
                  vectors: [{file: v.gguf, layers: [1], coefficient: 1.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: t}
                spec:
                  apiKeys: [{sha256: %s}]
                  models: {local: {}}
                """.formatted("a".repeat(64)));
        List<ConfigProblem> problems = RuntimeModeDocuments.problems(config);
        assertThat(problems).hasSize(3).allMatch(ConfigProblem::isError);
        assertThat(problems).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("Runtime 'far'").contains("type openai"))
                .anySatisfy(m -> assertThat(m).contains("SteeringProfile 'p'").contains("gateway"))
                .anySatisfy(m -> assertThat(m).contains("Tenant 't'"));
    }
}
