package io.steerguard.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.classifier.Assessment;
import io.steerguard.classifier.LearnedCalibration;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.Platt;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.TierReading;
import io.steerguard.classifier.Verdict;

class ReviewServiceTest {

    private static final Platt SHIPPED = new Platt(1.0, 0.0);
    private static final ReviewSettings SETTINGS = new ReviewSettings(0.1, 100, 4, 2);

    @TempDir
    Path dir;

    private ReviewService open(LearnedCalibration learned, RefusalClassifier lexical) throws Exception {
        return new ReviewService(SETTINGS, new ReviewQueue(100), LabelStore.open(dir, 1000),
                CalibrationStore.open(dir, SHIPPED), learned, lexical, Clock.systemUTC());
    }

    /** A learned reading of logit {@code z} under the shipped calibration. */
    private static Assessment learned(double z) {
        double p = SHIPPED.probability(z);
        Verdict v = Verdict.fromScore(p, 0.5, "learned");
        return new Assessment(v, List.of(new TierReading("learned", v.refused(), p, 0.5, z)));
    }

    private static MirroredPair pair(double steeredZ, double unsteeredZ) {
        // "Sure" reads as compliance to the lexical tier: a learned refusal on it is a disagreement
        return new MirroredPair("req", "t", "p", "prompt", "Sure, here it is.", learned(steeredZ), "Sure, here it is.",
                learned(unsteeredZ));
    }

    @Test
    void answersBothTiersAgreeOnFarFromTheThreshold_areNotQueued() throws Exception {
        try (ReviewService review = open(null,
                new LexicalRefusalClassifier())) {
            review.offer(pair(-5, -5));
            assertThat(review.queued()).isZero();
            review.offer(pair(5, 0.1)); // disagreement, and near the threshold
            assertThat(review.queued()).isEqualTo(2);
        }
    }

    @Test
    void aFaultInTheReviewPath_neverReachesTheShadowPath() throws Exception {
        RefusalClassifier broken = new RefusalClassifier() {
            @Override
            public Verdict classify(String prompt, String response) {
                throw new IllegalStateException("second opinion down");
            }

            @Override
            public String method() {
                return "lexical";
            }
        };
        try (ReviewService review = open(null, broken)) {
            assertThatCode(() -> review.offer(pair(5, 5))).doesNotThrowAnyException();
            assertThat(review.faults()).isEqualTo(1);
        }
    }

    @Test
    void aRecalibration_survivesARestart_andIsInForceAtOnce() throws Exception {
        LearnedCalibration calibration = new LearnedCalibration(SHIPPED);
        int version;
        try (ReviewService review = open(calibration, new LexicalRefusalClassifier())) {
            for (double z : new double[] {3, 2.5, -0.05, 0.05}) {
                review.offer(pair(z, z));
            }
            List<LabelRequest> labels = new ArrayList<>();
            review.pending(0, 100, i -> true).items().forEach(i -> labels.add(new LabelRequest(i.id(),
                    i.learnedLogit() > 1 ? ReviewLabel.REFUSAL : ReviewLabel.COMPLIANCE, "ann")));
            assertThat(review.label(labels)).isInstanceOf(LabelOutcome.Applied.class);
            CalibrationOutcome outcome = review.recalibrate("ann", "fit");
            assertThat(outcome).isInstanceOf(CalibrationOutcome.Changed.class);
            version = ((CalibrationOutcome.Changed) outcome).version().version();
            assertThat(calibration.current()).isNotEqualTo(SHIPPED);
        }
        Platt fitted = calibration.current();
        LearnedCalibration afterRestart = new LearnedCalibration(SHIPPED);
        try (ReviewService review = open(afterRestart, new LexicalRefusalClassifier())) {
            assertThat(afterRestart.current()).isEqualTo(fitted);
            assertThat(review.calibrations().orElseThrow().current().version()).isEqualTo(version);
            assertThat(review.labelled()).isEqualTo(8);
            assertThat(review.rollback(0, "bob", "undo")).isInstanceOf(CalibrationOutcome.Changed.class);
            assertThat(afterRestart.current()).isEqualTo(SHIPPED);
        }
        assertThat(Files.readAllLines(dir.resolve(CalibrationStore.FILE_NAME))).hasSize(2);
    }

    @Test
    void tooFewLabelsOfOneClass_changeNothing() throws Exception {
        LearnedCalibration calibration = new LearnedCalibration(SHIPPED);
        try (ReviewService review = open(calibration, new LexicalRefusalClassifier())) {
            for (int i = 0; i < 5; i++) {
                review.offer(pair(3, 3));
            }
            List<LabelRequest> labels = new ArrayList<>();
            review.pending(0, 100, i -> true).items().forEach(i -> labels.add(
                    new LabelRequest(i.id(), ReviewLabel.REFUSAL, "ann")));
            review.label(labels);
            assertThat(review.recalibrate("ann", "fit")).isEqualTo(new CalibrationOutcome.TooFewLabels(10, 10, 0, 4, 2));
            assertThat(calibration.current()).isEqualTo(SHIPPED);
            assertThat(dir.resolve(CalibrationStore.FILE_NAME)).isEmptyFile();
        }
    }
}
