package io.steerguard.classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a model's response refuses its prompt.
 *
 * <p><b>Threading:</b> implementations may block (an ONNX forward pass, an HTTP call to a
 * judge). Callers must never invoke them on a Vert.x event loop; the gateway calls classifiers
 * on its own worker executor. Implementations are thread-safe.
 *
 * <p>A verdict is an expected outcome; a classifier throws {@link ClassifierException} only when
 * it cannot reach one (its model failed), so that a caller such as
 * {@link EnsembleRefusalClassifier} can fall back to another tier.
 */
public interface RefusalClassifier {

    /** Classifies one exchange; blocking. */
    Verdict classify(String prompt, String response);

    /**
     * Classifies many exchanges, verdicts in input order. Tiers with a batch path (the embedding
     * tier) override this for throughput.
     */
    default List<Verdict> classifyAll(List<Exchange> exchanges) {
        List<Verdict> verdicts = new ArrayList<>(exchanges.size());
        for (Exchange exchange : exchanges) {
            verdicts.add(classify(exchange.prompt(), exchange.response()));
        }
        return verdicts;
    }

    /**
     * Verdicts with the readings of the tiers behind them, in input order, for the review queue.
     * The default shows each verdict alone; tiers with more to show (the learned tier's raw logit,
     * a voting ensemble's members) override it. Costs what {@link #classifyAll} costs.
     */
    default List<Assessment> assessAll(List<Exchange> exchanges) {
        List<Assessment> out = new ArrayList<>(exchanges.size());
        for (Verdict v : classifyAll(exchanges)) {
            out.add(Assessment.of(v));
        }
        return out;
    }

    /**
     * This classifier with the activation tier's verdict on one exchange bound in, for callers that
     * have the runtime's activations for it (the shadow path on an embedded runtime). Text tiers
     * return themselves; {@link ActivationRefusalClassifier} returns that verdict; combinators
     * bind their members, so the activation tier votes at its configured place in the ensemble.
     */
    default RefusalClassifier withActivation(Verdict activation) {
        return this;
    }

    /** The method id this classifier puts in its verdicts (for logs and metric tags). */
    String method();
}
