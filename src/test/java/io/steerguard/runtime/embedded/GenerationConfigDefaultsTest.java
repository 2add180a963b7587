package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steerguard.runtime.SamplingDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generation_config.json's decoding defaults, read the way vLLM reads them. */
class GenerationConfigDefaultsTest {

    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    private SamplingDefaults read(String json) throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), json);
        return GenerationConfigDefaults.read(dir, warnings::add);
    }

    @Test
    void aMissingFile_orAFileWithoutSamplingFields_setsNothing() throws IOException {
        assertThat(GenerationConfigDefaults.read(dir, warnings::add)).isEqualTo(SamplingDefaults.NONE);
        assertThat(read("{\"bos_token_id\": 1, \"eos_token_id\": [2, 3]}")).isEqualTo(SamplingDefaults.NONE);
    }

    @Test
    void temperatureTopPAndTopK_areRead_andANonPositiveTopKMeansNone() throws IOException {
        assertThat(read("{\"temperature\": 0.6, \"top_p\": 0.9, \"top_k\": 20, \"do_sample\": true}"))
                .isEqualTo(new SamplingDefaults(0.6, 0.9, 20));
        assertThat(read("{\"top_k\": -1}")).isEqualTo(new SamplingDefaults(null, null, 0));
        assertThat(read("{\"temperature\": null}")).isEqualTo(SamplingDefaults.NONE);
    }

    @Test
    void anUnsupportedRepetitionPenalty_isReported_andIgnored() throws IOException {
        assertThat(read("{\"repetition_penalty\": 1.0}")).isEqualTo(SamplingDefaults.NONE);
        assertThat(warnings).isEmpty();
        assertThat(read("{\"temperature\": 0.7, \"repetition_penalty\": 1.2}")).isEqualTo(new SamplingDefaults(0.7, null, null));
        assertThat(warnings).singleElement().asString().contains("repetition_penalty 1.2", "not supported");
    }

    @Test
    void wrongTypes_outOfRangeValues_andBrokenJson_failTheLoad_namingFileAndField() {
        assertThatThrownBy(() -> read("{\"temperature\": \"0.7\"}")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("generation_config.json: temperature must be a number");
        assertThatThrownBy(() -> read("{\"temperature\": 3}")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("temperature must be within [0, 2]");
        assertThatThrownBy(() -> read("{\"top_p\": 0}")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("top_p must be within (0, 1]");
        assertThatThrownBy(() -> read("{\"top_k\": 2.5}")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("top_k must be an integer");
        assertThatThrownBy(() -> read("{\"temperature\": ")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("generation_config.json: not valid JSON");
        assertThatThrownBy(() -> read("[1]")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("expected a JSON object");
    }
}
