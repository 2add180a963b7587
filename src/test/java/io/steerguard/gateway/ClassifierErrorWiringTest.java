package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.classifier.LearnedHead;
import io.steerguard.shadow.ClassifierError;

import org.junit.jupiter.api.Test;

/** Which measured error the statistics get, from the shipped model file. */
class ClassifierErrorWiringTest {

    @Test
    void shippedModel_carriesItsHeldOutConfusionCounts() {
        long[] c = LearnedHead.loadResource().measuredConfusion().orElseThrow();
        ClassifierError e = new ClassifierError(c[0], c[1], c[2], c[3]);

        assertThat(e.refusals() + e.compliant()).isGreaterThan(1000);
        assertThat(e.sensitivity()).isBetween(0.8, 1.0);
        assertThat(e.specificity()).isBetween(0.7, 1.0);
    }

    @Test
    void shippedCascade_carriesItsOwnHeldOutConfusionCounts_forTheSameAnswers() {
        long[] learned = LearnedHead.loadResource().measuredConfusion().orElseThrow();
        long[] cascade = io.steerguard.classifier.ScreenModel.loadResource().measuredConfusion().orElseThrow();

        assertThat(cascade[0] + cascade[1] + cascade[2] + cascade[3]).isEqualTo(learned[0] + learned[1] + learned[2] + learned[3]);
        assertThat(cascade[0] + cascade[1]).as("refusals").isEqualTo(learned[0] + learned[1]);
    }
}
