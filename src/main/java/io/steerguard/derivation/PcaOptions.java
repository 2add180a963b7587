package io.steerguard.derivation;

import java.util.Objects;

/**
 * Settings of the first-principal-component derivation.
 *
 * @param centring      how activations are centred before the PCA
 * @param maxIterations upper bound on power iterations
 * @param tolerance     stop when {@code 1 - <w_t, w_{t-1}>} falls below this
 * @param seed          seed of the small perturbation added to the start vector (determinism)
 */
public record PcaOptions(Centring centring, int maxIterations, double tolerance, long seed) {

    /**
     * What "mean-centred" means for the PCA.
     *
     * <ul>
     *   <li>{@link #PAIR_MIDPOINT}: centre each pair on its own midpoint {@code m_i = (p_i + n_i)/2}, giving
     *       rows {@code +d_i/2, -d_i/2} with {@code d_i = p_i - n_i} (repeng's default). The first component is
     *       the dominant direction of the differences, common shift included. Needs paired data.</li>
     *   <li>{@link #POOLED}: pool all positives and negatives and subtract the pooled mean (CAST's
     *       "mean-centred activations"). The first component is the class axis when the class separation
     *       dominates within-class variance.</li>
     * </ul>
     * Centring the <em>differences</em> on their own mean is deliberately not offered: it cancels the
     * consistent shift that is the behaviour, leaving only how the shift varies between pairs.
     */
    public enum Centring { PAIR_MIDPOINT, POOLED }

    public PcaOptions {
        Objects.requireNonNull(centring, "centring");
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1");
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0");
        }
    }

    /** Pair-midpoint centring, up to 1000 iterations, tolerance 1e-10, seed 42. */
    public static PcaOptions defaults() {
        return new PcaOptions(Centring.PAIR_MIDPOINT, 1000, 1e-10, 42);
    }
}
