package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The published JSON Schemas accept what the loader accepts and reject the loader's typical errors. */
class SchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schemaFor(String kind) throws IOException {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schemas/" + kind.toLowerCase(Locale.ROOT)
                + ".schema.json")) {
            assertThat(in).as("schema for " + kind).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            if (doc instanceof Map) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    static Stream<Path> validFiles() throws IOException {
        return Stream.concat(Files.list(Path.of("src/main/config")), Files.list(Path.of("src/test/resources/testdata/config/valid")))
                .filter(p -> p.toString().endsWith(".yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void everyDocumentTheLoaderAccepts_validatesAgainstItsKindsSchema(Path file) throws IOException {
        assertThat(new ConfigLoader().load(List.of(file))).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        for (JsonNode doc : documents(file)) {
            Set<ValidationMessage> errors = schemaFor(doc.get("kind").asText()).validate(doc);
            assertThat(errors).as(file + " " + doc.get("metadata")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"misspelled-field.yaml", "bad-key-hash.yaml", "unknown-runtime-type.yaml",
            "bad-duration.yaml", "project-to-without-target.yaml", "out-of-range.yaml", "bad-name.yaml",
            "sampling-out-of-range.yaml"})
    void brokenDocument_isAlsoRejectedByTheSchema(String name) throws IOException {
        Path file = Path.of("src/test/resources/testdata/config/broken", name);
        boolean anyError = false;
        for (JsonNode doc : documents(file)) {
            anyError |= !schemaFor(doc.get("kind").asText()).validate(doc).isEmpty();
        }
        assertThat(anyError).as(name + " must fail schema validation").isTrue();
    }
}
