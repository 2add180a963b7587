package io.steerguard.classifier.training;

import io.steerguard.classifier.LogisticHead;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogisticRegressionTrainerTest {

    @Test
    void separableSyntheticProblem_isRecovered_withTheTrueDirection() {
        // Labels from a known hyperplane w* = (2, -1, 0, 0, ...), b* = 0.5 with a margin.
        Random random = new Random(7);
        int n = 400;
        int d = 8;
        float[][] x = new float[n][d];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double z;
            do {
                for (int j = 0; j < d; j++) {
                    x[i][j] = (float) (random.nextGaussian() * (j + 1) + 3);
                }
                z = 2 * (x[i][0] - 3) - (x[i][1] - 3) + 0.5;
            } while (Math.abs(z) < 0.3);
            y[i] = z > 0;
        }
        LogisticRegressionTrainer.Fit fit = new LogisticRegressionTrainer(1e-3, 5000, 1e-8).fit(x, y);

        int correct = 0;
        for (int i = 0; i < n; i++) {
            double p = LogisticHead.sigmoid(dot(fit.weights(), x[i]) + fit.bias());
            correct += (p >= 0.5) == y[i] ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(n - 2);
        // Direction: w0 / -w1 ≈ 2 and the irrelevant weights are small next to w0.
        assertThat(fit.weights()[0] / -fit.weights()[1]).isCloseTo(2.0, within(0.3));
        for (int j = 2; j < d; j++) {
            assertThat(Math.abs(fit.weights()[j])).isLessThan(0.15 * Math.abs(fit.weights()[0]));
        }
    }

    @Test
    void training_isDeterministic() {
        float[][] x = {{0, 1}, {1, 0}, {1, 1}, {0, 0}};
        boolean[] y = {true, false, true, false};
        var a = new LogisticRegressionTrainer(0.1, 200, 0).fit(x, y);
        var b = new LogisticRegressionTrainer(0.1, 200, 0).fit(x, y);
        assertThat(a.weights()).containsExactly(b.weights());
        assertThat(a.bias()).isEqualTo(b.bias());
    }

    @Test
    void strongerL2_givesSmallerWeights() {
        float[][] x = {{0, 1}, {1, 0}, {1, 1}, {0, 0}, {2, 1}, {1, 2}};
        boolean[] y = {true, false, true, false, false, true};
        var weak = new LogisticRegressionTrainer(0.01, 2000, 1e-9).fit(x, y);
        var strong = new LogisticRegressionTrainer(1.0, 2000, 1e-9).fit(x, y);
        assertThat(norm(strong.weights())).isLessThan(norm(weak.weights()));
    }

    private static double dot(double[] w, float[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    private static double norm(double[] w) {
        return Math.sqrt(java.util.Arrays.stream(w).map(v -> v * v).sum());
    }
}
