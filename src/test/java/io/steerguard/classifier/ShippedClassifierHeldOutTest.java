package io.steerguard.classifier;

import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.training.SourcedExample;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped learned tier on a held-out slice of human-labelled answers of real chat models:
 * every fifth row of GPTFuzz's own test split ({@code datasets/refusal/gptfuzz-test.jsonl.gz},
 * committed; no row of that split is used in training, threshold or calibration). The floors sit a
 * little under what the model measured on the whole split (see docs/classifier-evaluation.md); the
 * previous default (embedding head, lexical fallback) does not reach them.
 */
class ShippedClassifierHeldOutTest {

    static final double ACCURACY_FLOOR = 0.85;
    static final double MAX_COMPLIANT_CALLED_REFUSAL = 0.22;
    static final double MAX_REFUSAL_MISSED = 0.13;

    private static List<SourcedExample> slice;
    private static MiniLmEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        List<SourcedExample> all = SourcedExample.readGzipJsonl(Path.of("datasets/refusal/gptfuzz-test.jsonl.gz"));
        slice = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 5) {
            if (LanguageGate.supported(all.get(i).response())) {
                slice.add(all.get(i));
            }
        }
        encoder = MiniLmEncoder.create(1, 2);
    }

    private static BinaryMetrics score(List<Verdict> verdicts) {
        BinaryMetrics m = BinaryMetrics.empty();
        for (int i = 0; i < slice.size(); i++) {
            m = m.add(verdicts.get(i).refused(), slice.get(i).refused());
        }
        return m;
    }

    private static List<Exchange> exchanges() {
        return slice.stream().map(SourcedExample::exchange).toList();
    }

    @Test
    void learnedTier_meetsTheFloors_onTheHeldOutSlice() {
        LearnedRefusalClassifier learned = new LearnedRefusalClassifier(encoder, LearnedHead.loadResource());
        List<Verdict> verdicts = learned.classifyOrAbstain(exchanges()).stream().map(Optional::orElseThrow).toList();

        BinaryMetrics m = score(verdicts);

        assertThat(slice).hasSizeGreaterThan(250);
        assertThat(m.accuracy()).isGreaterThanOrEqualTo(ACCURACY_FLOOR);
        assertThat(m.falseRefusalRate()).isLessThanOrEqualTo(MAX_COMPLIANT_CALLED_REFUSAL);
        assertThat(m.missedRefusalRate()).isLessThanOrEqualTo(MAX_REFUSAL_MISSED);
    }

    @Test
    void shippedCascade_meetsTheSameFloors_andIsNoLessAccurateThanTheLearnedTierAlone() {
        LearnedHead head = LearnedHead.loadResource();
        LearnedRefusalClassifier learned = new LearnedRefusalClassifier(encoder, head);
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head),
                ScreenModel.loadResource());

        BinaryMetrics alone = score(learned.classifyOrAbstain(exchanges()).stream().map(Optional::orElseThrow).toList());
        BinaryMetrics m = score(cascade.classifyOrAbstain(exchanges()).stream().map(Optional::orElseThrow).toList());

        assertThat(cascade.screened()).isPositive();
        assertThat(m.accuracy()).isGreaterThanOrEqualTo(ACCURACY_FLOOR).isGreaterThanOrEqualTo(alone.accuracy());
        assertThat(m.falseRefusalRate()).isLessThanOrEqualTo(MAX_COMPLIANT_CALLED_REFUSAL);
        assertThat(m.missedRefusalRate()).isLessThanOrEqualTo(MAX_REFUSAL_MISSED);
    }

    @Test
    void previousDefault_failsTheAccuracyFloor_onTheSameSlice() {
        RefusalClassifier previous = new EnsembleRefusalClassifier(List.of(
                new EmbeddingRefusalClassifier(encoder, LogisticHead.loadResource()), new LexicalRefusalClassifier()),
                EnsembleRule.firstAvailable());

        BinaryMetrics m = score(previous.classifyAll(exchanges()));

        assertThat(m.accuracy()).isLessThan(ACCURACY_FLOOR);
    }
}
