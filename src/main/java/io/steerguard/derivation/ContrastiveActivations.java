package io.steerguard.derivation;

import java.util.List;
import java.util.Objects;

/**
 * Residual-stream activations at one layer for a contrastive data set: one vector per positive
 * example and one per negative example, captured at the position the derivation method names.
 * When both lists have equal length, element {@code i} of each is taken to be a pair (needed by
 * {@link PcaOptions.Centring#PAIR_MIDPOINT}).
 *
 * @param positives activations of the examples showing the behaviour (e.g. "answer in JSON")
 * @param negatives activations of the contrasting examples
 */
public record ContrastiveActivations(List<float[]> positives, List<float[]> negatives) {

    public ContrastiveActivations {
        Objects.requireNonNull(positives, "positives");
        Objects.requireNonNull(negatives, "negatives");
        if (positives.isEmpty() || negatives.isEmpty()) {
            throw new IllegalArgumentException("positives and negatives must both be non-empty");
        }
        int d = positives.get(0).length;
        for (List<float[]> list : List.of(positives, negatives)) {
            for (float[] x : list) {
                if (x.length != d) {
                    throw new IllegalArgumentException("activations differ in width: " + x.length + " vs " + d);
                }
            }
        }
        positives = List.copyOf(positives);
        negatives = List.copyOf(negatives);
    }

    /** The residual width. */
    public int width() {
        return positives.get(0).length;
    }

    /** Whether positives and negatives can be matched one to one. */
    public boolean isPaired() {
        return positives.size() == negatives.size();
    }
}
