package io.steerguard.classifier;

import java.util.Arrays;

/**
 * The activation tier's math (embedded runtime only; the runtime supplies the vectors through
 * {@code GenerationEvent.Captured}).
 *
 * <ul>
 *   <li><b>First-token refusal score</b> (Arditi et al. 2024): {@code log p_ref − log(1 − p_ref)}
 *   where {@code p_ref} is the probability mass of refusal-starting tokens at the first generated
 *   position. Computed as {@code LSE(ℓ_ref) − LSE(ℓ_rest)} over the log-probabilities ℓ, which
 *   is exact, needs no renormalisation (it also works on raw logits) and never subtracts
 *   numbers close to 1. Its sigmoid is {@code p_ref} itself, the score in the verdict.</li>
 *   <li><b>Refusal projection</b>: {@code ⟨x, r̂⟩} of the last-prompt-token residual {@code x}
 *   on the unit refusal direction {@code r̂ = r / |r|}.</li>
 * </ul>
 */
public final class ActivationRefusalScorer {

    private ActivationRefusalScorer() {
    }

    /**
     * {@code log p_ref − log(1 − p_ref)}; +∞ when every token is a refusal token, −∞ when the
     * refusal tokens have zero probability.
     *
     * @param logProbs        log-probabilities (or logits) over the vocabulary
     * @param refusalTokenIds distinct token ids that start a refusal (e.g. "I", "Sorry")
     */
    public static double firstTokenRefusalLogOdds(float[] logProbs, int[] refusalTokenIds) {
        if (logProbs.length == 0) {
            throw new IllegalArgumentException("logProbs must not be empty");
        }
        if (refusalTokenIds.length == 0) {
            throw new IllegalArgumentException("refusalTokenIds must not be empty");
        }
        boolean[] isRefusal = new boolean[logProbs.length];
        for (int id : refusalTokenIds) {
            if (id < 0 || id >= logProbs.length) {
                throw new IllegalArgumentException("refusal token id " + id + " outside vocabulary of " + logProbs.length);
            }
            isRefusal[id] = true;
        }
        double[] ref = new double[refusalTokenIds.length];
        double[] rest = new double[logProbs.length];
        int nRef = 0;
        int nRest = 0;
        for (int i = 0; i < logProbs.length; i++) {
            if (isRefusal[i]) {
                ref[nRef++] = logProbs[i];
            } else {
                rest[nRest++] = logProbs[i];
            }
        }
        double logRef = logSumExp(ref, nRef);
        double logRest = logSumExp(rest, nRest);
        if (logRest == Double.NEGATIVE_INFINITY) {
            return logRef == Double.NEGATIVE_INFINITY ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return logRef - logRest;
    }

    /** {@code p_ref = sigmoid(logOdds)}, the [0, 1] score of an activation verdict. */
    public static double refusalProbability(double logOdds) {
        if (Double.isNaN(logOdds)) {
            throw new IllegalArgumentException("logOdds must not be NaN");
        }
        return LogisticHead.sigmoid(logOdds);
    }

    /** A verdict from the first-token score: refused when {@code logOdds >= thresholdLogOdds} (0 means p_ref ≥ ½). */
    public static Verdict verdict(double logOdds, double thresholdLogOdds) {
        return new Verdict(logOdds >= thresholdLogOdds, refusalProbability(logOdds), ClassifierMethod.ACTIVATION.id());
    }

    /** {@code ⟨x, r⟩ / |r|}: the residual's coordinate along the refusal direction. */
    public static double projection(float[] residual, float[] refusalDirection) {
        if (residual.length != refusalDirection.length) {
            throw new IllegalArgumentException("residual has " + residual.length + " dimensions, direction "
                    + refusalDirection.length);
        }
        double dot = 0;
        double norm2 = 0;
        for (int i = 0; i < residual.length; i++) {
            dot += (double) residual[i] * refusalDirection[i];
            norm2 += (double) refusalDirection[i] * refusalDirection[i];
        }
        if (!(norm2 > 0) || !Double.isFinite(norm2)) {
            throw new IllegalArgumentException("refusal direction must have a finite, non-zero norm");
        }
        return dot / Math.sqrt(norm2);
    }

    /** {@code log Σ exp(v_i)} over the first n values, shifted by the maximum so nothing overflows. */
    static double logSumExp(double[] values, int n) {
        if (n == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double max = Arrays.stream(values, 0, n).max().orElseThrow();
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        if (max == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("log-probabilities must not contain +Infinity");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(values[i] - max);
        }
        return max + Math.log(sum);
    }
}
