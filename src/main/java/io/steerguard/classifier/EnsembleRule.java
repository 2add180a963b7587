package io.steerguard.classifier;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link EnsembleRefusalClassifier} combines its members; chosen per deployment.
 *
 * <ul>
 *   <li>{@code first-available}: the first member that reaches a verdict decides; a member that
 *   throws {@link ClassifierException} is skipped (e.g. judge, then embedding, then lexical).</li>
 *   <li>{@code majority}: every member votes; score = share of refusal votes; refused when more
 *   than half vote refusal, and on a tie when the mean member score is at least 0.5.</li>
 *   <li>{@code weighted-mean}: score = Σ wᵢ sᵢ / Σ wᵢ over the members that answered; refused
 *   when the score reaches {@code threshold}.</li>
 * </ul>
 *
 * @param kind      the rule
 * @param weights   one non-negative weight per member (weighted-mean only; empty otherwise)
 * @param threshold the decision threshold on the weighted mean, within (0, 1)
 */
public record EnsembleRule(Kind kind, List<Double> weights, double threshold) {

    public enum Kind {
        FIRST_AVAILABLE("first-available"), MAJORITY("majority"), WEIGHTED_MEAN("weighted-mean");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("ensemble rule must be first-available, majority or weighted-mean, was " + id);
        }
    }

    public EnsembleRule {
        Objects.requireNonNull(kind, "kind");
        weights = List.copyOf(weights);
        if (kind == Kind.WEIGHTED_MEAN) {
            if (weights.isEmpty()) {
                throw new IllegalArgumentException("weighted-mean needs one weight per member");
            }
            double total = 0;
            for (double w : weights) {
                if (!(w >= 0) || !Double.isFinite(w)) {
                    throw new IllegalArgumentException("weights must be finite and >= 0, was " + w);
                }
                total += w;
            }
            if (total <= 0) {
                throw new IllegalArgumentException("weights must not all be zero");
            }
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be within (0, 1), was " + threshold);
        }
    }

    public static EnsembleRule firstAvailable() {
        return new EnsembleRule(Kind.FIRST_AVAILABLE, List.of(), 0.5);
    }

    public static EnsembleRule majority() {
        return new EnsembleRule(Kind.MAJORITY, List.of(), 0.5);
    }

    public static EnsembleRule weightedMean(List<Double> weights, double threshold) {
        return new EnsembleRule(Kind.WEIGHTED_MEAN, weights, threshold);
    }
}
