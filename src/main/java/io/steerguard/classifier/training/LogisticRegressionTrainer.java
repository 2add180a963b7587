package io.steerguard.classifier.training;

import io.steerguard.classifier.LogisticHead;

/**
 * L2-regularised logistic regression by full-batch Nesterov-accelerated gradient descent, in
 * plain Java. Deterministic: zero initialisation, no sampling.
 *
 * <p>Minimises {@code L(w, b) = (1/n) Σ log(1 + exp(-s_i (w·z_i + b))) + (λ/2) |w|²} with
 * {@code s_i = ±1} and {@code z} the standardised features ({@code (x - mean) / std}, so one
 * step size suits every dimension). The gradient is Lipschitz with constant
 * {@code L ≤ σ_max(Z)² / (4n) + λ}; σ_max² is estimated by power iteration and the step is 1/L.
 * The weights are mapped back to raw features at the end: {@code w_raw = w / std},
 * {@code b_raw = b - Σ w_j mean_j / std_j}.
 */
public final class LogisticRegressionTrainer {

    /** The fitted raw-feature weights and bias, and the final training loss. */
    public record Fit(double[] weights, double bias, double loss, int iterations) {
    }

    private final double l2;
    private final int maxIterations;
    private final double tolerance;

    public LogisticRegressionTrainer(double l2, int maxIterations, double tolerance) {
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
        }
        if (maxIterations <= 0) {
            throw new IllegalArgumentException("maxIterations must be positive, was " + maxIterations);
        }
        this.l2 = l2;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    public Fit fit(float[][] x, boolean[] y) {
        int n = x.length;
        if (n == 0 || n != y.length) {
            throw new IllegalArgumentException("x and y must be non-empty and of equal length");
        }
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        double[][] z = standardise(x, mean, std);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = y[i] ? 1.0 : -1.0;
        }
        double lipschitz = largestSquaredSingularValue(z) / (4.0 * n) + l2;
        double step = 1.0 / lipschitz;

        // Parameters θ = (w, b); Nesterov: look-ahead point v = θ + μ_k (θ - θ_prev).
        double[] w = new double[d];
        double[] wPrev = new double[d];
        double b = 0;
        double bPrev = 0;
        double[] gw = new double[d];
        double[] vw = new double[d];
        double loss = Double.NaN;
        int iter = 0;
        for (; iter < maxIterations; iter++) {
            double momentum = iter / (iter + 3.0);
            for (int j = 0; j < d; j++) {
                vw[j] = w[j] + momentum * (w[j] - wPrev[j]);
            }
            double vb = b + momentum * (b - bPrev);
            double gb = gradient(z, s, vw, vb, gw);
            double gradNorm = gb * gb;
            System.arraycopy(w, 0, wPrev, 0, d);
            bPrev = b;
            for (int j = 0; j < d; j++) {
                double g = gw[j] + l2 * vw[j];
                gradNorm += g * g;
                w[j] = vw[j] - step * g;
            }
            b = vb - step * gb;
            if (Math.sqrt(gradNorm) < tolerance) {
                iter++;
                break;
            }
        }
        loss = loss(z, s, w, b);

        double[] raw = new double[d];
        double rawBias = b;
        for (int j = 0; j < d; j++) {
            raw[j] = w[j] / std[j];
            rawBias -= w[j] * mean[j] / std[j];
        }
        return new Fit(raw, rawBias, loss, iter);
    }

    /** Fills {@code gw} with ∂/∂w of the mean log loss at (w, b) and returns ∂/∂b. */
    private static double gradient(double[][] z, double[] s, double[] w, double b, double[] gw) {
        java.util.Arrays.fill(gw, 0);
        double gb = 0;
        int n = z.length;
        for (int i = 0; i < n; i++) {
            double margin = s[i] * (dot(w, z[i]) + b);
            // d/dm log(1 + e^-m) = -sigmoid(-m)
            double coef = -s[i] * LogisticHead.sigmoid(-margin) / n;
            double[] zi = z[i];
            for (int j = 0; j < zi.length; j++) {
                gw[j] += coef * zi[j];
            }
            gb += coef;
        }
        return gb;
    }

    private double loss(double[][] z, double[] s, double[] w, double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double m = s[i] * (dot(w, z[i]) + b);
            // log(1 + e^-m), stable for either sign of m
            sum += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
        }
        return sum / z.length + 0.5 * l2 * dot(w, w);
    }

    private static double[][] standardise(float[][] x, double[] mean, double[] std) {
        int n = x.length;
        int d = mean.length;
        for (float[] row : x) {
            if (row.length != d) {
                throw new IllegalArgumentException("all rows must have " + d + " features");
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                std[j] += c * c / n;
            }
        }
        for (int j = 0; j < d; j++) {
            // A constant feature carries no signal; std 1 keeps it at zero instead of dividing by 0.
            std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 1.0;
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) / std[j];
            }
        }
        return z;
    }

    /** σ_max(Z)² (with a column of ones for the bias) by 50 rounds of power iteration on ZᵀZ. */
    private static double largestSquaredSingularValue(double[][] z) {
        int d = z[0].length + 1;
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(d));
        double eigen = 1;
        for (int round = 0; round < 50; round++) {
            double[] next = new double[d];
            for (double[] row : z) {
                double zv = v[d - 1];
                for (int j = 0; j < d - 1; j++) {
                    zv += row[j] * v[j];
                }
                for (int j = 0; j < d - 1; j++) {
                    next[j] += zv * row[j];
                }
                next[d - 1] += zv;
            }
            eigen = Math.sqrt(dot(next, next));
            for (int j = 0; j < d; j++) {
                v[j] = next[j] / eigen;
            }
        }
        // Power iteration approaches from below; a 10% margin keeps the step safe.
        return eigen * 1.1;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
