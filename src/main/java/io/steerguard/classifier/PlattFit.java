package io.steerguard.classifier;

/**
 * Fits {@link Platt} scaling to labelled raw logits by Newton's method on the log loss, with Platt's
 * (1999) smoothed targets: a refusal counts as {@code (N₊ + 1) / (N₊ + 2)} and a compliant answer as
 * {@code 1 / (N₋ + 2)}. The smoothing keeps the fit finite when the labels are separable, which on a
 * few hundred operator labels is the usual case, and pulls it toward the base rate on few labels.
 */
public final class PlattFit {

    private static final int MAX_ITERATIONS = 100;
    private static final double MIN_STEP = 1e-10;
    /** Smallest slope a fit may end with: a non-positive slope would read scores backwards. */
    static final double MIN_SLOPE = 1e-3;

    private PlattFit() {
    }

    /**
     * @param logits  raw logits {@code w·x + b} of the learned tier
     * @param refused the human labels, refusal = true
     */
    public static Platt fit(double[] logits, boolean[] refused) {
        int n = logits.length;
        if (n == 0 || n != refused.length) {
            throw new IllegalArgumentException("logits and labels must be non-empty and of equal length");
        }
        long positives = 0;
        for (boolean r : refused) {
            positives += r ? 1 : 0;
        }
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (n - positives + 2.0);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(logits[i])) {
                throw new IllegalArgumentException("logit " + i + " is not finite");
            }
            t[i] = refused[i] ? hi : lo;
        }
        double a = 1.0;
        double b = Math.log((positives + 1.0) / (n - positives + 1.0));
        double loss = loss(logits, t, a, b);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            // gradient and Hessian of Σ −t log p − (1 − t) log(1 − p), p = σ(a z + b)
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
            for (int i = 0; i < n; i++) {
                double p = LogisticHead.sigmoid(a * logits[i] + b);
                double d = p - t[i];
                double w = p * (1 - p);
                ga += d * logits[i];
                gb += d;
                haa += w * logits[i] * logits[i];
                hab += w * logits[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double step = 1.0;
            double next = Double.POSITIVE_INFINITY;
            // backtracking: Newton overshoots where the loss is flat
            while (step >= MIN_STEP) {
                next = loss(logits, t, a - step * da, b - step * db);
                if (next <= loss) {
                    break;
                }
                step /= 2;
            }
            if (step < MIN_STEP) {
                break;
            }
            a -= step * da;
            b -= step * db;
            boolean converged = loss - next < 1e-12 * Math.max(1, loss);
            loss = next;
            if (converged) {
                break;
            }
        }
        return new Platt(Math.max(MIN_SLOPE, a), b);
    }

    /** Mean log loss of {@code platt} on hard labels (for reporting a fit against the one it replaces). */
    public static double logLoss(Platt platt, double[] logits, boolean[] refused) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double p = Math.min(1 - 1e-12, Math.max(1e-12, platt.probability(logits[i])));
            sum -= refused[i] ? Math.log(p) : Math.log(1 - p);
        }
        return sum / logits.length;
    }

    private static double loss(double[] z, double[] t, double a, double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double s = a * z[i] + b;
            // −t log σ(s) − (1 − t) log(1 − σ(s)) = log(1 + e^s) − t s, computed without overflow
            double softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
            sum += softplus - t[i] * s;
        }
        return sum;
    }
}
