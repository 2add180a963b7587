package io.steerguard.runtime.embedded;

import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

    private static SamplingParams params(double temperature, double topP, int topK, Long seed) {
        return new SamplingParams(16, temperature, topP, topK, seed, List.of(), false);
    }

    private static float[] randomLogits(SplittableRandom r, int n) {
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        return logits;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void temperatureZero_isArgmax_andTiesGoToTheLowestId() {
        Sampler s = new Sampler(SamplingParams.greedy(4));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            float[] logits = randomLogits(r, 300);
            assertThat(s.sample(logits)).isEqualTo(argmax(logits));
        }
        assertThat(s.sample(new float[] {1, 5, 5, -2})).isEqualTo(1);
    }

    @Test
    void sameSeed_givesTheSameSequence_andAnotherSeedDiffers() {
        float[] logits = new float[50];
        int[] a = new int[200];
        int[] b = new int[200];
        int[] c = new int[200];
        Sampler sa = new Sampler(params(1.0, 1, 0, 42L));
        Sampler sb = new Sampler(params(1.0, 1, 0, 42L));
        Sampler sc = new Sampler(params(1.0, 1, 0, 43L));
        for (int i = 0; i < 200; i++) {
            a[i] = sa.sample(logits);
            b[i] = sb.sample(logits);
            c[i] = sc.sample(logits);
        }
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void topKOne_isGreedy_evenAtHighTemperature() {
        Sampler s = new Sampler(params(2.0, 1, 1, 7L));
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 100; i++) {
            float[] logits = randomLogits(r, 500);
            assertThat(s.sample(logits)).isEqualTo(argmax(logits));
        }
    }

    @Test
    void tinyTopP_isGreedy_evenAtHighTemperature() {
        Sampler s = new Sampler(params(2.0, 1e-6, 0, 7L));
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            float[] logits = randomLogits(r, 500);
            assertThat(s.sample(logits)).isEqualTo(argmax(logits));
        }
    }

    /** Sum over tokens of (observed - expected)^2 / expected. */
    private static double chiSquare(int[] counts, double[] probs, int draws) {
        double chi = 0;
        for (int i = 0; i < probs.length; i++) {
            double expected = probs[i] * draws;
            if (expected == 0) {
                assertThat(counts[i]).as("token %d has zero probability", i).isZero();
            } else {
                chi += Math.pow(counts[i] - expected, 2) / expected;
            }
        }
        return chi;
    }

    private static int[] histogram(Sampler s, float[] logits, int draws) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            counts[s.sample(logits)]++;
        }
        return counts;
    }

    // Probabilities 0.4, 0.3, 0.2, 0.1 as logits; at T = 1 softmax gives them back.
    private static final double[] P = {0.4, 0.3, 0.2, 0.1};
    private static final float[] LOGITS = {(float) Math.log(0.4), (float) Math.log(0.3), (float) Math.log(0.2),
        (float) Math.log(0.1)};
    // Chi-square critical value for 3 degrees of freedom at p = 0.001 is 16.27.
    private static final double CHI2_3DF_P001 = 16.27;

    @Test
    void temperatureOne_reproducesTheSoftmaxDistribution() {
        int draws = 20_000;
        int[] counts = histogram(new Sampler(params(1.0, 1, 0, 11L)), LOGITS, draws);
        assertThat(chiSquare(counts, P, draws)).isLessThan(CHI2_3DF_P001);
    }

    @Test
    void temperatureTwo_flattensTheDistribution_asSoftmaxOfHalvedLogits() {
        double[] q = new double[4];
        double z = 0;
        for (int i = 0; i < 4; i++) {
            q[i] = Math.sqrt(P[i]);
            z += q[i];
        }
        for (int i = 0; i < 4; i++) {
            q[i] /= z;
        }
        int draws = 20_000;
        int[] counts = histogram(new Sampler(params(2.0, 1, 0, 12L)), LOGITS, draws);
        assertThat(chiSquare(counts, q, draws)).isLessThan(CHI2_3DF_P001);
        assertThat(chiSquare(counts, P, draws)).as("must differ from T = 1").isGreaterThan(100);
    }

    @Test
    void topK_renormalisesOverTheKLikeliestTokens() {
        int draws = 20_000;
        int[] counts = histogram(new Sampler(params(1.0, 1, 2, 13L)), LOGITS, draws);
        assertThat(chiSquare(counts, new double[] {4 / 7.0, 3 / 7.0, 0, 0}, draws)).isLessThan(10.83);
    }

    @Test
    void topP_keepsTheSmallestPrefixReachingTheMass() {
        // Cumulative 0.4, 0.7, 0.9: top_p 0.75 keeps the first three tokens.
        int draws = 20_000;
        int[] counts = histogram(new Sampler(params(1.0, 0.75, 0, 14L)), LOGITS, draws);
        assertThat(chiSquare(counts, new double[] {4 / 9.0, 3 / 9.0, 2 / 9.0, 0}, draws)).isLessThan(13.82);
    }

    @Test
    void topKThenTopP_appliesTopPToTheTopKDistribution() {
        // top_k 3 leaves 4/9, 3/9, 2/9; top_p 0.5 of that keeps 4/9 + 3/9.
        int draws = 20_000;
        int[] counts = histogram(new Sampler(params(1.0, 0.5, 3, 15L)), LOGITS, draws);
        assertThat(chiSquare(counts, new double[] {4 / 7.0, 3 / 7.0, 0, 0}, draws)).isLessThan(10.83);
    }

    @Test
    void topP_overALargeVocabulary_matchesAFullSortReference() {
        SplittableRandom r = new SplittableRandom(5);
        float[] logits = randomLogits(r, 5000);
        double[] p = softmax(logits);
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
        java.util.Set<Integer> nucleus = new java.util.HashSet<>();
        double cumulative = 0;
        for (Integer id : order) {
            nucleus.add(id);
            cumulative += p[id];
            if (cumulative >= 0.3) {
                break;
            }
        }
        Sampler s = new Sampler(params(1.0, 0.3, 0, 16L));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 5000; i++) {
            seen.add(s.sample(logits));
        }
        assertThat(nucleus).containsAll(seen);
        assertThat(seen).hasSameSizeAs(nucleus);
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double z = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    @Test
    void logProb_isLogSoftmax_andStableForHugeLogits() {
        Sampler s = new Sampler(SamplingParams.greedy(1));
        for (int i = 0; i < 4; i++) {
            assertThat(s.logProb(LOGITS, i)).isCloseTo(Math.log(P[i]), within(1e-6));
        }
        float[] huge = {1000f, 1000f, 0f};
        assertThat(s.logProb(huge, 0)).isCloseTo(Math.log(0.5), within(1e-9));
        assertThat(s.logProb(huge, 2)).isCloseTo(-1000 - Math.log(2), within(1e-6));
        assertThat(s.sample(huge)).isEqualTo(0);
        Sampler hot = new Sampler(params(1.0, 1, 0, 1L));
        assertThat(hot.sample(new float[] {1e30f, -1e30f})).isEqualTo(0);
    }

    @Test
    void nanLogits_areAnInternalFault() {
        Sampler s = new Sampler(params(1.0, 1, 0, 1L));
        assertThatThrownBy(() -> s.sample(new float[] {0, Float.NaN}))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INTERNAL));
    }

    @Test
    void negativeInfinityLogits_areNeverSampled() {
        Sampler s = new Sampler(params(1.5, 1, 0, 9L));
        float[] logits = {Float.NEGATIVE_INFINITY, 0, Float.NEGATIVE_INFINITY, 0};
        for (int i = 0; i < 1000; i++) {
            assertThat(s.sample(logits)).isIn(1, 3);
        }
    }
}
