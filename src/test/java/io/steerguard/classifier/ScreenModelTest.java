package io.steerguard.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The screen's features and model file: what it was trained on is what it serves with. */
class ScreenModelTest {

    private static ScreenModel randomModel(int buckets, long seed) {
        Random random = new Random(seed);
        double[] w = new double[ScreenFeatures.size(buckets)];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        return new ScreenModel(buckets, RefusalFeatures.LEXICAL_NAMES, w, 0.25, -2, 2, "x", 1e-3, 1, Map.of(), Map.of());
    }

    @Test
    void theServedLogit_equalsTheDotProductWithTheTrainingFeatures() {
        ScreenModel model = randomModel(64, 3); // few buckets: many words share one, which must count once
        for (String answer : List.of(
                "I'm sorry, but I can't help with that. It could hurt someone.",
                "Sure, here is the recipe: 1. Preheat the oven. 2. Mix flour and sugar. sugar sugar sugar",
                "", "  ", "{\"refused\": true, \"message\": \"no\"}",
                "As an AI, I cannot do that. However, here is some general advice about the topic at hand.")) {
            RefusalFeatures.View view = RefusalFeatures.of("prompt", answer);
            float[] x = ScreenFeatures.of(view, 64);
            double dense = model.bias();
            for (int i = 0; i < x.length; i++) {
                dense += model.weights()[i] * x[i];
            }
            assertThat(model.logit(view)).as(answer).isCloseTo(dense, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void wordsAndWordPairs_landInTheirOwnHalves() {
        RefusalFeatures.View view = new RefusalFeatures.View("i cannot", "sure thing", new float[14]);
        float[] x = ScreenFeatures.of(view, 4096);
        int lexical = RefusalFeatures.LEXICAL_NAMES.size();
        int opening = 0;
        int whole = 0;
        for (int i = lexical; i < lexical + 4096; i++) {
            opening += (int) x[i];
        }
        for (int i = lexical + 4096; i < x.length; i++) {
            whole += (int) x[i];
        }
        assertThat(opening).isEqualTo(3); // "i", "cannot", "i cannot"
        assertThat(whole).isEqualTo(2);   // "sure", "thing": no pairs for the whole answer
    }

    @Test
    void aModelFile_roundTrips(@TempDir Path dir) throws Exception {
        ScreenModel model = randomModel(8, 5);
        Path file = dir.resolve("screen.json");
        model.write(file);

        ScreenModel read = ScreenModel.read(file);

        assertThat(read.weights()).containsExactly(model.weights());
        assertThat(read.lower()).isEqualTo(-2);
        assertThat(read.upper()).isEqualTo(2);
        assertThat(Files.readString(file)).contains("\"learnedModel\" : \"x\"");
    }

    @Test
    void invalidModels_areRejected() {
        double[] w = new double[ScreenFeatures.size(8)];
        assertThatThrownBy(() -> new ScreenModel(8, RefusalFeatures.LEXICAL_NAMES, w, 0, 1, 1, "x", 0, 1, Map.of(), Map.of()))
                .hasMessageContaining("lower < upper");
        assertThatThrownBy(() -> new ScreenModel(8, RefusalFeatures.LEXICAL_NAMES, new double[3], 0, -1, 1, "x", 0, 1, Map.of(), Map.of()))
                .hasMessageContaining("weights has 3 entries");
        double[] nan = w.clone();
        nan[0] = Double.NaN;
        assertThatThrownBy(() -> new ScreenModel(8, RefusalFeatures.LEXICAL_NAMES, nan, 0, -1, 1, "x", 0, 1, Map.of(), Map.of()))
                .hasMessageContaining("finite");
    }

    @Test
    void theShippedScreen_wasChosenAgainstTheShippedLearnedModel() {
        ScreenModel screen = ScreenModel.loadResource();

        assertThat(screen.learnedModel()).isEqualTo(ScreenModel.fingerprint(LearnedHead.loadResource()));
        assertThat(screen.lexical()).isEqualTo(RefusalFeatures.LEXICAL_NAMES);
    }
}
