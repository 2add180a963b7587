package io.steerguard.steering;

/** What a steered layer's alignment with the refusal direction predicts. */
public enum GeometryVerdict {
    /** Negative cosine: steering moves away from refusal; expect higher attack success. */
    RAISES_JAILBREAK_RISK("raises-jailbreak-risk"),
    /** Near-orthogonal: no refusal-related prediction. */
    NEUTRAL("neutral"),
    /** Positive cosine: steering moves toward refusal; expect more refusals of harmless requests. */
    RAISES_OVER_REFUSAL("raises-over-refusal"),
    /** No refusal direction is known for the layer. */
    NO_REFUSAL_DIRECTION("no-refusal-direction");

    private final String label;

    GeometryVerdict(String label) {
        this.label = label;
    }

    /** A bounded label for reports and metric tags. */
    public String label() {
        return label;
    }
}
