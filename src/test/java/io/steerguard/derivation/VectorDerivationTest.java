package io.steerguard.derivation;

import io.steerguard.steering.VectorMath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Derivation on synthetic activations with a planted direction and a fixed seed. */
class VectorDerivationTest {

    private static final int D = 64;

    private static float[] gaussian(Random rnd, double scale) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = (float) (scale * rnd.nextGaussian());
        }
        return v;
    }

    /**
     * Pairs whose negatives are random residuals around a large common offset and whose positives add
     * {@code a_i * planted} (a_i around 1) plus small noise: the shape contrastive data has in practice.
     */
    private static ContrastiveActivations planted(Random rnd, float[] planted, int pairs, double baseSpread) {
        float[] offset = gaussian(rnd, 5);
        List<float[]> pos = new ArrayList<>();
        List<float[]> neg = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            float[] n = gaussian(rnd, baseSpread);
            float[] p = new float[D];
            double a = 1 + 0.2 * rnd.nextGaussian();
            for (int k = 0; k < D; k++) {
                n[k] += offset[k];
                p[k] = (float) (n[k] + a * planted[k] + 0.1 * rnd.nextGaussian());
            }
            pos.add(p);
            neg.add(n);
        }
        return new ContrastiveActivations(pos, neg);
    }

    private static float[] plantedDirection(Random rnd) {
        float[] u = VectorMath.unit(gaussian(rnd, 1));
        for (int i = 0; i < D; i++) {
            u[i] *= 3;
        }
        return u;
    }

    @Test
    void meanDifference_recoversThePlantedDirection_withTheRightSign() {
        Random rnd = new Random(1);
        float[] truth = plantedDirection(rnd);
        ContrastiveActivations data = planted(rnd, truth, 200, 1.0);

        float[] v = VectorDerivation.meanDifference(data);

        assertThat(VectorMath.cosine(v, truth)).isGreaterThan(0.99);
        assertThat(VectorMath.norm(v)).isCloseTo(3.0, within(0.1));
    }

    @Test
    void pcaPairMidpoint_recoversThePlantedDirection_withTheRightSign() {
        Random rnd = new Random(2);
        float[] truth = plantedDirection(rnd);
        ContrastiveActivations data = planted(rnd, truth, 200, 1.0);

        PrincipalComponent pc = PrincipalComponent.of(data, PcaOptions.defaults());

        assertThat(pc.converged()).isTrue();
        assertThat(VectorMath.cosine(pc.direction(), truth)).isGreaterThan(0.99);
        assertThat(VectorMath.norm(pc.direction())).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void pcaPooled_recoversThePlantedDirection_whenSeparationDominates() {
        Random rnd = new Random(3);
        float[] truth = plantedDirection(rnd);
        ContrastiveActivations data = planted(rnd, truth, 300, 0.2);

        PrincipalComponent pc = PrincipalComponent.of(data,
                new PcaOptions(PcaOptions.Centring.POOLED, 1000, 1e-10, 42));

        assertThat(VectorMath.cosine(pc.direction(), truth)).isGreaterThan(0.99);
        // between-class variance (3/2)^2 = 2.25 against within-class 64 * 0.04 = 2.56 (+ amplitude jitter)
        assertThat(pc.explainedVariance()).isBetween(0.4, 0.5);
    }

    @Test
    void swappingPositivesAndNegatives_flipsEveryMethodsSign() {
        Random rnd = new Random(4);
        float[] truth = plantedDirection(rnd);
        ContrastiveActivations data = planted(rnd, truth, 150, 1.0);
        ContrastiveActivations swapped = new ContrastiveActivations(data.negatives(), data.positives());

        assertThat(VectorMath.cosine(VectorDerivation.meanDifference(swapped), truth)).isLessThan(-0.99);
        assertThat(VectorMath.cosine(PrincipalComponent.of(swapped, PcaOptions.defaults()).direction(), truth))
                .isLessThan(-0.99);
    }

    @Test
    void powerIteration_leavesItsStart_forTheDominantVarianceDirection() {
        // Differences vary strongly along w (random sign, size ~4) and shift consistently, weakly, along m:
        // the mean difference (the start vector) is m, the first component must be w.
        Random rnd = new Random(5);
        float[] w = VectorMath.unit(gaussian(rnd, 1));
        float[] m = gaussian(rnd, 1);
        double along = VectorMath.dot(m, w);
        for (int k = 0; k < D; k++) {
            m[k] -= (float) (along * w[k]); // make m orthogonal to w
        }
        m = VectorMath.unit(m);
        List<float[]> pos = new ArrayList<>();
        List<float[]> neg = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            float[] n = gaussian(rnd, 1);
            float[] p = new float[D];
            double s = 4 * rnd.nextGaussian();
            for (int k = 0; k < D; k++) {
                p[k] = (float) (n[k] + s * w[k] + 0.3 * m[k] + 0.01 * rnd.nextGaussian());
            }
            pos.add(p);
            neg.add(n);
        }
        ContrastiveActivations data = new ContrastiveActivations(pos, neg);

        PrincipalComponent pc = PrincipalComponent.of(data, PcaOptions.defaults());

        assertThat(Math.abs(VectorMath.cosine(VectorDerivation.meanDifference(data), w))).isLessThan(0.5);
        assertThat(Math.abs(VectorMath.cosine(pc.direction(), w))).isGreaterThan(0.99);
        assertThat(pc.iterations()).isGreaterThan(1);
    }

    @Test
    void pca_isDeterministic() {
        Random rnd = new Random(6);
        ContrastiveActivations data = planted(rnd, plantedDirection(rnd), 50, 1.0);
        assertThat(PrincipalComponent.of(data, PcaOptions.defaults()).direction())
                .containsExactly(PrincipalComponent.of(data, PcaOptions.defaults()).direction());
    }

    @Test
    void pairMidpointCentring_needsPairedData() {
        Random rnd = new Random(7);
        ContrastiveActivations unpaired = new ContrastiveActivations(List.of(gaussian(rnd, 1), gaussian(rnd, 1)),
                List.of(gaussian(rnd, 1)));
        assertThatThrownBy(() -> PrincipalComponent.of(unpaired, PcaOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("as many positives as negatives");
    }

    @Test
    void derive_writesVectorsPerLayer_andAReportOfNormsAndSeparation() {
        Random rnd = new Random(8);
        float[] truth = plantedDirection(rnd);
        TreeMap<Integer, ContrastiveActivations> perLayer = new TreeMap<>();
        perLayer.put(3, planted(rnd, truth, 120, 1.0));
        perLayer.put(5, planted(rnd, truth, 120, 1.0));

        VectorDerivation.Derived mean = VectorDerivation.derive(DerivationMethod.MEAN_DIFFERENCE, perLayer, "llama",
                PcaOptions.defaults());
        VectorDerivation.Derived pca = VectorDerivation.derive(DerivationMethod.PCA, perLayer, "llama",
                PcaOptions.defaults());

        assertThat(mean.vectors().layers()).containsExactly(3, 5);
        assertThat(mean.vectors().modelHint()).isEqualTo("llama");
        LayerSeparation l3 = mean.report().layers().get(0);
        assertThat(l3.layer()).isEqualTo(3);
        assertThat(l3.norm()).isCloseTo(VectorMath.norm(mean.vectors().direction(3)), within(1e-9));
        // positives sit ~3 further along the unit direction than negatives; within-class spread ~1
        assertThat(l3.separation()).isCloseTo(3.0, within(0.3));
        assertThat(l3.effectSize()).isGreaterThan(2);
        assertThat(l3.midpointAccuracy()).isGreaterThan(0.9);
        assertThat(pca.report().layers().get(1).explainedVariance()).isBetween(0.0, 1.0);
        assertThat(pca.report().toJson()).contains("\"method\" : \"pca\"", "\"capturePosition\" : \"answer_token\"",
                "\"explainedVariance\"", "\"effectSize\"");
        assertThat(mean.report().toJson()).doesNotContain("explainedVariance");
    }

    @Test
    void identicalMeans_haveNoDirection() {
        float[] x = new float[D];
        TreeMap<Integer, ContrastiveActivations> perLayer = new TreeMap<>();
        perLayer.put(1, new ContrastiveActivations(List.of(x), List.of(x)));
        assertThatThrownBy(() -> VectorDerivation.derive(DerivationMethod.CAA, perLayer, "", PcaOptions.defaults()))
                .hasMessageContaining("identical means");
    }
}
