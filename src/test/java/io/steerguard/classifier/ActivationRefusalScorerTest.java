package io.steerguard.classifier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ActivationRefusalScorerTest {

    private static float[] logs(double... probabilities) {
        float[] out = new float[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(probabilities[i]);
        }
        return out;
    }

    @Test
    void halfTheMassOnRefusalTokens_givesLogOddsZero() {
        double score = ActivationRefusalScorer.firstTokenRefusalLogOdds(logs(0.5, 0.25, 0.125, 0.125), new int[] {0});
        assertThat(score).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void summedRefusalMass_givesHandComputedLogOdds() {
        // p_ref = 0.25 + 0.125 = 0.375; log(0.375 / 0.625) = log(0.6)
        double score = ActivationRefusalScorer.firstTokenRefusalLogOdds(logs(0.5, 0.25, 0.125, 0.125), new int[] {1, 2});
        assertThat(score).isCloseTo(Math.log(0.6), within(1e-6));
        assertThat(ActivationRefusalScorer.refusalProbability(score)).isCloseTo(0.375, within(1e-6));
    }

    @Test
    void rawLogits_giveTheSameScore_asLogProbabilities() {
        float[] logProbs = logs(0.5, 0.25, 0.125, 0.125);
        float[] logits = new float[4];
        for (int i = 0; i < 4; i++) {
            logits[i] = logProbs[i] + 7.25f;
        }
        assertThat(ActivationRefusalScorer.firstTokenRefusalLogOdds(logits, new int[] {1, 2}))
                .isCloseTo(Math.log(0.6), within(1e-5));
    }

    @Test
    void extremeProbabilities_stayFinite_whereNaiveLogsOverflow() {
        // p_ref = e^-1000 underflows to 0 in double, yet the log-odds are exactly -1000.
        assertThat(ActivationRefusalScorer.firstTokenRefusalLogOdds(new float[] {-1000f, 0f}, new int[] {0}))
                .isCloseTo(-1000.0, within(1e-9));
        assertThat(ActivationRefusalScorer.firstTokenRefusalLogOdds(new float[] {0f, -800f}, new int[] {0}))
                .isCloseTo(800.0, within(1e-9));
    }

    @Test
    void everyTokenARefusalToken_givesPositiveInfinity_andScoreOne() {
        double score = ActivationRefusalScorer.firstTokenRefusalLogOdds(logs(0.5, 0.5), new int[] {0, 1});
        assertThat(score).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ActivationRefusalScorer.verdict(score, 0).score()).isEqualTo(1.0);
    }

    @Test
    void verdict_isRefused_atOrAboveTheThreshold() {
        Verdict v = ActivationRefusalScorer.verdict(Math.log(3), 0.0);
        assertThat(v.refused()).isTrue();
        assertThat(v.score()).isCloseTo(0.75, within(1e-12));
        assertThat(v.method()).isEqualTo("activation");
        assertThat(ActivationRefusalScorer.verdict(Math.log(3), 2.0).refused()).isFalse();
    }

    @Test
    void projection_isTheCoordinateAlongTheUnitDirection() {
        assertThat(ActivationRefusalScorer.projection(new float[] {3, 4}, new float[] {0, 2})).isCloseTo(4.0, within(1e-12));
        assertThat(ActivationRefusalScorer.projection(new float[] {3, 4}, new float[] {1, 1}))
                .isCloseTo(7 / Math.sqrt(2), within(1e-6));
        assertThat(ActivationRefusalScorer.projection(new float[] {3, 4}, new float[] {-4, 3})).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void badInputs_areRejected_withNamedArguments() {
        assertThatThrownBy(() -> ActivationRefusalScorer.projection(new float[] {1}, new float[] {0}))
                .hasMessageContaining("refusal direction");
        assertThatThrownBy(() -> ActivationRefusalScorer.projection(new float[] {1, 2}, new float[] {1}))
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> ActivationRefusalScorer.firstTokenRefusalLogOdds(new float[] {0f}, new int[] {3}))
                .hasMessageContaining("refusal token id 3");
    }
}
