package io.steerguard.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The rule that chooses where the screen may decide alone. */
class ScreenCutoffsTest {

    @Test
    void aCleanlySeparatedScreen_decidesBothEnds_upToTheFirstMistakeTheLearnedTierDoesNotMake() {
        // logits:      -3     -2     -1     0      1      2      3
        double[] z = {-3, -2, -1, 0, 1, 2, 3};
        boolean[] refused = {false, false, true, false, true, true, true};
        boolean[] learnedRight = {true, true, true, true, true, true, true};

        ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedRight);

        assertThat(c.lower()).isEqualTo(-2);
        assertThat(c.compliantDecided()).isEqualTo(2);
        assertThat(c.compliantScreenErrors()).isZero();
        assertThat(c.upper()).isEqualTo(1);
        assertThat(c.refusalDecided()).isEqualTo(3);
    }

    @Test
    void aScreenMistake_isAllowed_whereTheLearnedTierMadeAsManyInTheSameRegion() {
        double[] z = {-3, -2, -1, 5};
        boolean[] refused = {false, true, false, true};
        boolean[] learnedRight = {false, true, true, true}; // the learned tier missed the first one

        ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedRight);

        assertThat(c.lower()).isEqualTo(-1);
        assertThat(c.compliantScreenErrors()).isEqualTo(1);
        assertThat(c.compliantLearnedErrors()).isEqualTo(1);
    }

    @Test
    void whenTheScreenIsWrongAtTheVeryEnd_itNeverDecidesThatSide() {
        double[] z = {-3, -2, 2, 3};
        boolean[] refused = {true, false, true, false};
        boolean[] learnedRight = {true, true, true, true};

        ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedRight);

        assertThat(c.lower()).isEqualTo(-ScreenCutoffs.NEVER);
        assertThat(c.upper()).isEqualTo(ScreenCutoffs.NEVER);
        assertThat(c.compliantDecided() + c.refusalDecided()).isZero();
    }

    @Test
    void aCutOff_neverSplitsAnswersWithTheSameLogit() {
        double[] z = {-2, -1, -1, 3};
        boolean[] refused = {false, false, true, true};
        boolean[] learnedRight = {true, true, true, true};

        ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedRight);

        assertThat(c.lower()).isEqualTo(-2); // -1 holds a refusal and a compliant answer: both stay with the learned tier
        assertThat(c.compliantDecided()).isEqualTo(1);
    }

    @Test
    void onRandomData_theCascadeNeverMakesMoreMistakesThanTheLearnedTier_onTheAnswersItWasChosenOn() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 5 + random.nextInt(60);
            double[] z = new double[n];
            boolean[] refused = new boolean[n];
            boolean[] learnedRight = new boolean[n];
            for (int i = 0; i < n; i++) {
                refused[i] = random.nextBoolean();
                z[i] = Math.round((refused[i] ? 1 : -1) + 2 * random.nextGaussian());
                learnedRight[i] = random.nextDouble() < 0.8;
            }
            ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedRight);
            int learnedErrors = 0;
            int cascadeErrors = 0;
            for (int i = 0; i < n; i++) {
                learnedErrors += learnedRight[i] ? 0 : 1;
                boolean right;
                if (z[i] <= c.lower()) {
                    right = !refused[i];
                } else if (z[i] >= c.upper()) {
                    right = refused[i];
                } else {
                    right = learnedRight[i];
                }
                cascadeErrors += right ? 0 : 1;
            }
            assertThat(cascadeErrors).as("round %d", round).isLessThanOrEqualTo(learnedErrors);
            assertThat(c.lower()).isLessThan(c.upper());
        }
    }

    @Test
    void mismatchedInputs_areRejected() {
        assertThatThrownBy(() -> ScreenCutoffs.choose(new double[2], new boolean[1], new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScreenCutoffs.choose(new double[] {Double.NaN}, new boolean[1], new boolean[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
