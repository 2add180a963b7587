package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code spec.servedBy}: a profile served by a server that steers process-wide (llama.cpp control vectors). */
class RoutedProfileConfigTest {

    private static final Path ROUTED = Path.of("src/test/resources/testdata/config/routed/llama-cpp.yaml");

    @Test
    void routedProfile_loads_withItsServerAndItsUnsteeredRuntime() {
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(ROUTED));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        SteeringProfileDocument profile = ((ConfigLoader.Outcome.Loaded) outcome).config().profiles().get("compliance");
        assertThat(profile.routed()).isTrue();
        assertThat(profile.servedBy()).isEqualTo("llama-compliance");
        assertThat(profile.runtime()).isEqualTo("llama-plain");
    }

    @Test
    void routedProfile_validatesAgainstTheSteeringProfileSchema() throws IOException {
        for (JsonNode doc : SchemaTest.documents(ROUTED)) {
            assertThat(SchemaTest.schemaFor(doc.get("kind").asText()).validate(doc)).as(doc.toString()).isEmpty();
        }
    }
}
