package io.steerguard.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The learned tier with its screen in front: who decides which answer, and what the verdict carries. */
class LearnedCascadeTest {

    private static MiniLmEncoder encoder;
    private static LearnedHead head;

    private static final String REFUSAL = "I'm sorry, but I can't help with that. Making explosives is dangerous and illegal.";
    private static final String COMPLIANCE = "A reactor splits uranium nuclei in a controlled chain reaction. The heat boils water.";

    @BeforeAll
    static void load() {
        encoder = MiniLmEncoder.create(1, 2);
        head = LearnedHead.loadResource();
    }

    /** A screen whose logit is {@code bias} for every answer (all weights zero). */
    private static ScreenModel constantScreen(double bias) {
        return new ScreenModel(16, RefusalFeatures.LEXICAL_NAMES, new double[ScreenFeatures.size(16)], bias, -3, 3,
                ScreenModel.fingerprint(head), 1e-3, 1, Map.of(), Map.of());
    }

    @Test
    void anAnswerTheScreenIsSureOf_isDecidedWithoutTheEncoder_andCarriesNoLearnedLogit() {
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head), constantScreen(5));

        List<Assessment> a = cascade.assessAll(List.of(new Exchange("q", COMPLIANCE)));

        assertThat(cascade.screened()).isEqualTo(1);
        assertThat(a.get(0).verdict().refused()).isTrue(); // the screen said refusal, whatever the text
        assertThat(a.get(0).verdict().method()).isEqualTo("learned");
        assertThat(a.get(0).tiers()).singleElement().satisfies(t -> assertThat(t.hasLogit()).isFalse());
    }

    @Test
    void aSureCompliantLogit_isACompliantVerdict() {
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head), constantScreen(-5));

        Verdict v = cascade.classify("q", REFUSAL);

        assertThat(v.refused()).isFalse();
        assertThat(v.score()).isLessThan(0.05);
    }

    @Test
    void anAnswerTheScreenIsUnsureOf_getsExactlyTheLearnedTiersVerdict() {
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head), constantScreen(0));
        LearnedRefusalClassifier alone = new LearnedRefusalClassifier(encoder, head);
        List<Exchange> answers = List.of(new Exchange("q", REFUSAL), new Exchange("q", COMPLIANCE));

        List<Assessment> got = cascade.assessAll(answers);
        List<Assessment> want = alone.assessAll(answers);

        assertThat(cascade.screened()).isZero();
        assertThat(got).isEqualTo(want);
        assertThat(got.get(0).tiers().get(0).hasLogit()).isTrue();
    }

    @Test
    void afterARecalibration_theScreenStandsAside() {
        LearnedCalibration calibration = LearnedCalibration.of(head);
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, calibration, constantScreen(5));
        calibration.use(new Platt(1.5, -0.5));

        Assessment a = cascade.assessAll(List.of(new Exchange("q", COMPLIANCE))).get(0);

        assertThat(cascade.screened()).isZero();
        assertThat(a.tiers().get(0).hasLogit()).isTrue();
    }

    @Test
    void emptyAndUnsupportedAnswers_keepTheirRules() {
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head), constantScreen(5));

        assertThat(cascade.classify("q", "   ").refused()).isFalse();
        assertThat(cascade.classifyOrAbstain(List.of(new Exchange("q", "对不起，我不能帮助你做这件事。这是违法的。")))).containsExactly(java.util.Optional.empty());
        assertThat(cascade.screened()).isZero();
    }

    @Test
    void aScreenChosenAgainstAnotherLearnedModel_isRejected() {
        ScreenModel stale = new ScreenModel(16, RefusalFeatures.LEXICAL_NAMES, new double[ScreenFeatures.size(16)], 0, -3, 3,
                "0".repeat(64), 1e-3, 1, Map.of(), Map.of());

        assertThatThrownBy(() -> new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head), stale))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another learned model");
    }
}
