package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The published JSON Schema accepts what the gateway accepts, and rejects the same mistakes. */
class PolicySchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema schema() throws IOException {
        try (InputStream in = PolicySchemaTest.class.getResourceAsStream("/schemas/guardrailpolicy.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    /** Every YAML document of a file, as JSON trees (SnakeYAML to plain maps, Jackson to trees). */
    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            docs.add(JSON.valueToTree(doc));
        }
        return docs;
    }

    @Test
    void shippedDefaultPolicy_validatesAgainstTheSchema() throws IOException {
        List<JsonNode> docs = documents(Path.of("policies/default.yaml"));

        assertThat(docs).hasSize(1);
        Set<ValidationMessage> errors = schema().validate(docs.get(0));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate-out-of-range.yaml", "min-samples-zero.yaml", "confidence-percent.yaml",
            "misspelled-limit.yaml", "missing-selector.yaml", "empty-selector.yaml", "bad-glob.yaml",
            "unknown-action.yaml", "missing-action.yaml", "auto-without-cooldown.yaml", "manual-with-cooldown.yaml",
            "window-words.yaml", "unknown-attack.yaml", "sample-rate-words.yaml", "limits-not-mapping.yaml",
            "margin-out-of-range.yaml", "misspelled-section.yaml"})
    void brokenPolicy_isRejectedByTheSchemaToo(String name) throws IOException {
        JsonNode doc = documents(Path.of("src/test/resources/testdata/policies", name)).get(0);

        assertThat(schema().validate(doc)).isNotEmpty();
    }
}
