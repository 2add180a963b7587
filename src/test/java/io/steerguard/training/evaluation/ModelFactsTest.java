package io.steerguard.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFactsTest {

    @TempDir
    Path dir;

    @Test
    void facts_comeFromConfigAndTrainingLog_withNestedScalarsButNoCurves() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 128, \"num_hidden_layers\": 4, \"rope_theta\": 1e4}");
        Files.writeString(dir.resolve("training-log.json"), "{\"plan\": {\"seed\": 7, \"steps\": 900}, \"parameters\": "
                + "2400000, \"lossPer10Steps\": [3.1, 2.0], \"trainingExamples\": {\"HARMFUL\": 1500}}");

        assertThat(ModelFacts.read(dir)).containsExactly("hidden_size: 128", "num_hidden_layers: 4",
                "training-log.json plan.seed: 7", "training-log.json plan.steps: 900",
                "training-log.json parameters: 2400000", "training-log.json trainingExamples.HARMFUL: 1500");
    }

    @Test
    void aMissingTrainingLog_isSaid() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 284}");

        assertThat(ModelFacts.read(dir)).containsExactly("vocab_size: 284", "training-log.json: not present");
    }
}
