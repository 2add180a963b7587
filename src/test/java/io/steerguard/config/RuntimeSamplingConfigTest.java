package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steerguard.runtime.SamplingDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Runtime document's {@code sampling} defaults: parsed field by field, absent means none, schema agrees. */
class RuntimeSamplingConfigTest {

    @TempDir
    Path dir;

    private Path write(String sampling) throws IOException {
        return Files.writeString(dir.resolve("r.yaml"), """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: demo}
                spec:
                  type: embedded
                  model: models/demo-chat
                %s""".formatted(sampling));
    }

    private RuntimeDocument.Embedded load(Path file) {
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));
        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        return (RuntimeDocument.Embedded) ((ConfigLoader.Outcome.Loaded) outcome).config().runtimes().get("demo").spec();
    }

    @Test
    void samplingFields_areRead_andOmittedOnesStayUnset() throws IOException {
        Path file = write("  sampling: {temperature: 0.3, topK: 8}\n");
        assertThat(load(file).sampling()).isEqualTo(new SamplingDefaults(0.3, null, 8));
        for (JsonNode doc : SchemaTest.documents(file)) {
            assertThat(SchemaTest.schemaFor("Runtime").validate(doc)).isEmpty();
        }
    }

    @Test
    void noSamplingBlock_meansNoDocumentDefaults() throws IOException {
        assertThat(load(write("")).sampling()).isEqualTo(SamplingDefaults.NONE);
    }
}
