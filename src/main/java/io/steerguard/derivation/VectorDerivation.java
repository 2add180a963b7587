package io.steerguard.derivation;

import io.steerguard.steering.VectorMath;
import io.steerguard.steering.VectorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Derives steering vectors from contrastive activations, per layer. No model is needed: the caller
 * captures activations (at {@link DerivationMethod#capturePosition()}) and hands them in.
 *
 * <ul>
 *   <li>Mean difference / CAA: {@code v = mean(x+) - mean(x-)}, unnormalised, so its norm reports the
 *       size of the behaviour's shift in residual units.</li>
 *   <li>PCA: the unit first principal component ({@link PrincipalComponent}), sign toward the positives.</li>
 * </ul>
 */
public final class VectorDerivation {

    private VectorDerivation() {
    }

    /** A derived vector set and its report. */
    public record Derived(VectorSet vectors, DerivationReport report) {
    }

    /**
     * Derives one vector per layer of {@code perLayer}.
     *
     * @param modelHint written into the vector set (config.json {@code model_type})
     */
    public static Derived derive(DerivationMethod method, SortedMap<Integer, ContrastiveActivations> perLayer,
                                 String modelHint, PcaOptions pca) {
        if (perLayer.isEmpty()) {
            throw new IllegalArgumentException("no layers to derive");
        }
        TreeMap<Integer, float[]> vectors = new TreeMap<>();
        List<LayerSeparation> report = new ArrayList<>();
        int positives = -1;
        int negatives = -1;
        for (Map.Entry<Integer, ContrastiveActivations> e : perLayer.entrySet()) {
            ContrastiveActivations data = e.getValue();
            positives = data.positives().size();
            negatives = data.negatives().size();
            float[] v;
            double explained = Double.NaN;
            int iterations = 0;
            if (method == DerivationMethod.PCA) {
                PrincipalComponent pc = PrincipalComponent.of(data, pca);
                v = pc.direction();
                explained = pc.explainedVariance();
                iterations = pc.iterations();
            } else {
                v = meanDifference(data);
            }
            if (VectorMath.norm(v) == 0) {
                throw new IllegalArgumentException("layer " + e.getKey() + ": positives and negatives have identical means");
            }
            vectors.put(e.getKey(), v);
            report.add(LayerSeparation.measure(e.getKey(), v, data, explained, iterations));
        }
        return new Derived(new VectorSet(modelHint, vectors, "derived-" + method.configName()),
                new DerivationReport(method, positives, negatives, report));
    }

    /** {@code mean(x+) - mean(x-)}, accumulated in double. */
    public static float[] meanDifference(ContrastiveActivations data) {
        double[] mp = mean(data.positives());
        double[] mn = mean(data.negatives());
        float[] v = new float[mp.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mp[i] - mn[i]);
        }
        return v;
    }

    static double[] mean(List<float[]> xs) {
        double[] m = new double[xs.get(0).length];
        for (float[] x : xs) {
            for (int i = 0; i < m.length; i++) {
                m[i] += x[i];
            }
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= xs.size();
        }
        return m;
    }
}
