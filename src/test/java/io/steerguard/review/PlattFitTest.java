package io.steerguard.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.steerguard.classifier.Platt;
import io.steerguard.classifier.PlattFit;

class PlattFitTest {

    @Test
    void recoversTheCalibrationThatGeneratedTheLabels() {
        Platt truth = new Platt(0.7, -0.4);
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        double[] z = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextGaussian() * 3;
            y[i] = random.nextDouble() < truth.probability(z[i]);
        }
        Platt fit = PlattFit.fit(z, y);
        assertThat(fit.a()).isCloseTo(0.7, within(0.05));
        assertThat(fit.b()).isCloseTo(-0.4, within(0.06));
        assertThat(PlattFit.logLoss(fit, z, y)).isLessThanOrEqualTo(PlattFit.logLoss(new Platt(1, 0), z, y));
    }

    @Test
    void separableLabels_giveAFiniteCalibration_thatStillOrdersThem() {
        double[] z = {-2, -1, -0.5, 0.5, 1, 2};
        boolean[] y = {false, false, false, true, true, true};
        Platt fit = PlattFit.fit(z, y);
        assertThat(fit.a()).isFinite().isPositive();
        assertThat(fit.probability(2)).isLessThan(1).isGreaterThan(0.5);
        assertThat(fit.probability(-2)).isGreaterThan(0).isLessThan(0.5);
    }

    @Test
    void labelsThatContradictTheScore_neverTurnTheScoreAround() {
        double[] z = {-2, -1, 1, 2};
        boolean[] y = {true, true, false, false};
        assertThat(PlattFit.fit(z, y).a()).as("a negative slope would read refusals as compliance").isPositive();
    }
}
