package io.steerguard.shadow;

import java.util.List;
import java.util.Objects;

import io.steerguard.runtime.Introspection;

/**
 * What the activation tier reads from one embedded model.
 *
 * @param layer            0-based decoder layer whose last-prompt-token residual is projected on
 *                         the refusal direction; -1 when the model has no refusal direction
 * @param refusalDirection the unit refusal direction {@code r̂} at {@code layer}, or {@code null}
 * @param refusalTokenIds  token ids that open a refusal; empty when none are known (then only the
 *                         projection is measured and the tier casts no vote)
 * @param threshold        refused when {@code p_ref} reaches this, within (0, 1)
 */
public record ActivationSetup(int layer, float[] refusalDirection, int[] refusalTokenIds, double threshold) {

    public ActivationSetup {
        Objects.requireNonNull(refusalTokenIds, "refusalTokenIds");
        if ((refusalDirection == null) != (layer < 0)) {
            throw new IllegalArgumentException("layer and refusalDirection must be given together, got layer " + layer);
        }
        if (refusalDirection == null && refusalTokenIds.length == 0) {
            throw new IllegalArgumentException("refusalDirection or refusalTokenIds must be given");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be within (0, 1), got " + threshold);
        }
        refusalDirection = refusalDirection == null ? null : refusalDirection.clone();
        refusalTokenIds = refusalTokenIds.clone();
    }

    /** The introspection both sides of a pair ask for: the direction's layer and/or the first-token distribution. */
    public Introspection introspection() {
        return new Introspection(refusalDirection != null ? List.of(layer) : List.of(), refusalTokenIds.length > 0);
    }

    /** {@code log(t / (1 − t))}: the threshold on the first-token refusal log-odds. */
    public double thresholdLogOdds() {
        return Math.log(threshold) - Math.log1p(-threshold);
    }
}
