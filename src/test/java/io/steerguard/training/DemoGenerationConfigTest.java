package io.steerguard.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed demo model's generation_config.json is exactly what the training code writes (so
 * retraining reproduces its decoding defaults), and the runtime serving it applies those defaults.
 */
class DemoGenerationConfigTest {

    private static final Path MODEL = Path.of("models/demo-chat");

    @Test
    void theCommittedGenerationConfig_isWhatTrainingWrites_withTheDemoDefaults() throws Exception {
        JsonNode committed = new ObjectMapper().readTree(MODEL.resolve("generation_config.json").toFile());
        List<Integer> eos = new ArrayList<>();
        committed.path("eos_token_id").forEach(n -> eos.add(n.asInt()));
        assertThat(Files.readString(MODEL.resolve("generation_config.json"))).isEqualTo(
                ModelExport.generationConfig(committed.path("bos_token_id").asInt(), eos, DemoModelBuilder.DEMO_SAMPLING));
        assertThat(DemoModelBuilder.DEMO_SAMPLING.temperature()).isBetween(0.0, 1.0).isNotZero();
    }

    @Test
    void theEmbeddedRuntime_servesTheDemoModelWithThoseDefaults() {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.load(new EmbeddedRuntimeOptions("demo-chat", MODEL, "cpu", 1, 64, 1))) {
            assertThat(runtime.samplingDefaults()).isEqualTo(DemoModelBuilder.DEMO_SAMPLING);
        }
        try (EmbeddedRuntime runtime = EmbeddedRuntime.load(new EmbeddedRuntimeOptions("demo-chat", MODEL, "cpu", 1, 64, 1,
                new SamplingDefaults(1.0, null, null)))) {
            // the Runtime document's temperature wins; top_p and top_k still come from the folder
            assertThat(runtime.samplingDefaults()).isEqualTo(new SamplingDefaults(1.0,
                    DemoModelBuilder.DEMO_SAMPLING.topP(), DemoModelBuilder.DEMO_SAMPLING.topK()));
        }
    }
}
