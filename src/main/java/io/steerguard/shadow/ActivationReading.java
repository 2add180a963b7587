package io.steerguard.shadow;

import java.util.Optional;

import io.steerguard.classifier.ActivationRefusalScorer;
import io.steerguard.classifier.Verdict;

/**
 * The activation tier's reading of one answer.
 *
 * @param refusalLogOdds first-token refusal score {@code log p_ref − log(1 − p_ref)}; NaN when the
 *                       model has no refusal token ids
 * @param projection     {@code ⟨x, r̂⟩} of the last-prompt-token residual at the direction's layer
 *                       (after steering, for the steered side); NaN when the model has no direction
 * @param thresholdLogOdds refused when {@code refusalLogOdds} reaches this
 */
public record ActivationReading(double refusalLogOdds, double projection, double thresholdLogOdds) {

    /** The tier's verdict: score {@code p_ref}; empty without a first-token score. */
    public Optional<Verdict> verdict() {
        return Double.isNaN(refusalLogOdds) ? Optional.empty()
                : Optional.of(ActivationRefusalScorer.verdict(refusalLogOdds, thresholdLogOdds));
    }

    /** {@code p_ref = sigmoid(refusalLogOdds)}, or NaN. */
    public double refusalProbability() {
        return Double.isNaN(refusalLogOdds) ? Double.NaN : ActivationRefusalScorer.refusalProbability(refusalLogOdds);
    }
}
