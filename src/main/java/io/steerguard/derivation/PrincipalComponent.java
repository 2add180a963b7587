package io.steerguard.derivation;

import io.steerguard.steering.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The first principal component of contrastive activations by power iteration, with the sign fixed
 * toward the positives.
 *
 * <p>Math. With centred rows {@code x_1..x_m} the covariance is {@code C = (1/m) sum_j x_j x_j^T}.
 * Power iteration repeats {@code w <- C w / |C w|}; since {@code C} is symmetric positive
 * semi-definite, {@code w} converges to the top eigenvector at rate {@code (lambda_2/lambda_1)^t}
 * whenever the start is not orthogonal to it. {@code C w} is computed as
 * {@code (1/m) sum_j <x_j, w> x_j}, so memory stays {@code O(m d)} instead of the {@code O(d^2)} of
 * forming {@code C} (128 MB at d = 4096). The start is the mean difference plus a small seeded
 * perturbation, which is close to the answer in practice and never exactly orthogonal to it.
 *
 * @param direction         unit first component, oriented so positives project above negatives
 * @param eigenvalue        the Rayleigh quotient {@code w^T C w}: variance along the component
 * @param explainedVariance {@code lambda_1 / trace(C)}: the share of all variance the component holds
 * @param iterations        power iterations run
 * @param converged         whether the tolerance was met before {@code maxIterations}
 */
public record PrincipalComponent(float[] direction, double eigenvalue, double explainedVariance, int iterations,
                                 boolean converged) {

    /** Computes the component of {@code data} under {@code options}. */
    public static PrincipalComponent of(ContrastiveActivations data, PcaOptions options) {
        List<double[]> rows = centredRows(data, options.centring());
        int d = data.width();
        double trace = 0;
        for (double[] x : rows) {
            trace += dot(x, x);
        }
        trace /= rows.size();
        if (trace == 0) {
            throw new IllegalArgumentException("the activations have no variance; no principal component exists");
        }

        float[] meanDiff = VectorDerivation.meanDifference(data);
        Random rnd = new Random(options.seed());
        double[] w = new double[d];
        double mdNorm = VectorMath.norm(meanDiff);
        double jitter = mdNorm > 0 ? 1e-3 * mdNorm / Math.sqrt(d) : 1.0;
        for (int i = 0; i < d; i++) {
            w[i] = meanDiff[i] + jitter * rnd.nextGaussian();
        }
        normalise(w);

        int iterations = 0;
        boolean converged = false;
        double[] next = new double[d];
        while (iterations < options.maxIterations()) {
            iterations++;
            multiplyCovariance(rows, w, next);
            double n = Math.sqrt(dot(next, next));
            if (n == 0) {
                throw new IllegalArgumentException("power iteration collapsed to zero; the start was orthogonal "
                        + "to every direction of variance");
            }
            for (int i = 0; i < d; i++) {
                next[i] /= n;
            }
            double change = 1 - dot(next, w);
            double[] t = w;
            w = next;
            next = t;
            if (change < options.tolerance()) {
                converged = true;
                break;
            }
        }

        multiplyCovariance(rows, w, next);
        double eigenvalue = dot(w, next);

        // Sign: an eigenvector is defined up to sign; orient it so that the positives' mean projection
        // exceeds the negatives', i.e. <mean(x+) - mean(x-), w> > 0.
        double orientation = 0;
        for (int i = 0; i < d; i++) {
            orientation += meanDiff[i] * w[i];
        }
        float[] direction = new float[d];
        for (int i = 0; i < d; i++) {
            direction[i] = (float) (orientation < 0 ? -w[i] : w[i]);
        }
        return new PrincipalComponent(direction, eigenvalue, eigenvalue / trace, iterations, converged);
    }

    private static List<double[]> centredRows(ContrastiveActivations data, PcaOptions.Centring centring) {
        int d = data.width();
        List<double[]> rows = new ArrayList<>();
        if (centring == PcaOptions.Centring.PAIR_MIDPOINT) {
            if (!data.isPaired()) {
                throw new IllegalArgumentException("pair-midpoint centring needs as many positives as negatives, got "
                        + data.positives().size() + " and " + data.negatives().size());
            }
            for (int i = 0; i < data.positives().size(); i++) {
                float[] p = data.positives().get(i);
                float[] n = data.negatives().get(i);
                double[] half = new double[d];
                double[] minus = new double[d];
                for (int k = 0; k < d; k++) {
                    half[k] = ((double) p[k] - n[k]) / 2; // p - (p+n)/2
                    minus[k] = -half[k];                  // n - (p+n)/2
                }
                rows.add(half);
                rows.add(minus);
            }
            return rows;
        }
        double[] mean = new double[d];
        int m = data.positives().size() + data.negatives().size();
        for (List<float[]> list : List.of(data.positives(), data.negatives())) {
            for (float[] x : list) {
                for (int k = 0; k < d; k++) {
                    mean[k] += x[k] / (double) m;
                }
            }
        }
        for (List<float[]> list : List.of(data.positives(), data.negatives())) {
            for (float[] x : list) {
                double[] r = new double[d];
                for (int k = 0; k < d; k++) {
                    r[k] = x[k] - mean[k];
                }
                rows.add(r);
            }
        }
        return rows;
    }

    /** {@code out = C w = (1/m) sum_j <x_j, w> x_j}. */
    private static void multiplyCovariance(List<double[]> rows, double[] w, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (double[] x : rows) {
            double p = dot(x, w);
            for (int k = 0; k < out.length; k++) {
                out[k] += p * x[k];
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= rows.size();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void normalise(double[] w) {
        double n = Math.sqrt(dot(w, w));
        for (int i = 0; i < w.length; i++) {
            w[i] /= n;
        }
    }
}
