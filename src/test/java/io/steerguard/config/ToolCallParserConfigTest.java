package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code toolCallParser} on an embedded Runtime: read by the loader, admitted by the schema, default none. */
class ToolCallParserConfigTest {

    private static RuntimeDocument.Embedded load(Path dir, String extra) throws IOException {
        Path file = dir.resolve("runtime.yaml");
        Files.writeString(file, """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: qwen}
                spec:
                  type: embedded
                  model: models/qwen
                """ + extra);
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));
        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        for (JsonNode doc : SchemaTest.documents(file)) {
            assertThat(SchemaTest.schemaFor("Runtime").validate(doc)).isEmpty();
        }
        return (RuntimeDocument.Embedded) ((ConfigLoader.Outcome.Loaded) outcome).config().runtimes().get("qwen").spec();
    }

    @Test
    void eachParserName_loads_andValidates(@TempDir Path dir) throws IOException {
        assertThat(load(dir, "  toolCallParser: hermes\n").toolCallParser()).isEqualTo("hermes");
        assertThat(load(dir, "  toolCallParser: llama3-json\n").toolCallParser()).isEqualTo("llama3-json");
    }

    @Test
    void omitted_isNone(@TempDir Path dir) throws IOException {
        assertThat(load(dir, "").toolCallParser()).isEqualTo("none");
    }

    @Test
    void anUnknownParser_failsTheSchemaToo() throws IOException {
        Path file = Path.of("src/test/resources/testdata/config/broken/unknown-tool-call-parser.yaml");
        for (JsonNode doc : SchemaTest.documents(file)) {
            assertThat(SchemaTest.schemaFor("Runtime").validate(doc)).isNotEmpty();
        }
    }
}
