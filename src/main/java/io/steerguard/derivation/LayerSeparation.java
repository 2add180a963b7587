package io.steerguard.derivation;

import io.steerguard.steering.VectorMath;
import java.util.List;

/**
 * How well one layer's vector separates positives from negatives, measured along its unit
 * direction {@code u}: projections {@code s = <x, u>}.
 *
 * @param layer             0-based layer
 * @param norm              {@code |v|} of the derived vector
 * @param positiveMean      mean projection of the positives
 * @param negativeMean      mean projection of the negatives
 * @param separation        {@code positiveMean - negativeMean}; positive when the sign is right
 * @param effectSize        Cohen's d: separation over the pooled standard deviation of the
 *                          projections; {@code NaN} when that deviation is zero
 * @param midpointAccuracy  share of examples on the right side of the midpoint between the two means
 * @param explainedVariance PCA only: share of variance on the component; {@code NaN} otherwise
 * @param iterations        PCA only: power iterations run; 0 otherwise
 */
public record LayerSeparation(int layer, double norm, double positiveMean, double negativeMean, double separation,
                              double effectSize, double midpointAccuracy, double explainedVariance, int iterations) {

    /** Measures {@code vector} on {@code data}. */
    static LayerSeparation measure(int layer, float[] vector, ContrastiveActivations data, double explainedVariance,
                                   int iterations) {
        float[] u = VectorMath.unit(vector);
        double[] pos = project(data.positives(), u);
        double[] neg = project(data.negatives(), u);
        double mp = mean(pos);
        double mn = mean(neg);
        double pooledVar = (sumSq(pos, mp) + sumSq(neg, mn)) / Math.max(1, pos.length + neg.length - 2);
        double effect = pooledVar > 0 ? (mp - mn) / Math.sqrt(pooledVar) : Double.NaN;
        double mid = (mp + mn) / 2;
        int right = 0;
        for (double s : pos) {
            right += s > mid ? 1 : 0;
        }
        for (double s : neg) {
            right += s < mid ? 1 : 0;
        }
        return new LayerSeparation(layer, VectorMath.norm(vector), mp, mn, mp - mn, effect,
                right / (double) (pos.length + neg.length), explainedVariance, iterations);
    }

    private static double[] project(List<float[]> xs, float[] u) {
        double[] s = new double[xs.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = VectorMath.dot(xs.get(i), u);
        }
        return s;
    }

    private static double mean(double[] s) {
        double m = 0;
        for (double x : s) {
            m += x;
        }
        return m / s.length;
    }

    private static double sumSq(double[] s, double mean) {
        double q = 0;
        for (double x : s) {
            q += (x - mean) * (x - mean);
        }
        return q;
    }
}
