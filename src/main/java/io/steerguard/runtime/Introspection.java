package io.steerguard.runtime;

import java.util.List;
import java.util.Objects;

/**
 * What the safety path wants to see inside the model during one generation (embedded runtime only).
 *
 * @param captureLayers   0-based decoder layers whose residual stream (after the block, and after
 *                        steering) is captured at the last prompt token; empty for none
 * @param firstTokenLogProbs whether the log-probabilities of the first generated position over the
 *                        whole vocabulary are reported (for the refusal score
 *                        {@code log p_ref - log(1 - p_ref)})
 */
public record Introspection(List<Integer> captureLayers, boolean firstTokenLogProbs) {

    private static final Introspection NONE = new Introspection(List.of(), false);

    public Introspection {
        Objects.requireNonNull(captureLayers, "captureLayers");
        captureLayers = List.copyOf(captureLayers);
        for (int layer : captureLayers) {
            if (layer < 0) {
                throw new IllegalArgumentException("capture layer must not be negative: " + layer);
            }
        }
    }

    public static Introspection none() {
        return NONE;
    }

    public boolean isNone() {
        return captureLayers.isEmpty() && !firstTokenLogProbs;
    }
}
