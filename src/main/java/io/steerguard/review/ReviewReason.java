package io.steerguard.review;

/** Why an answer was queued for review. */
public enum ReviewReason {
    /** Two tiers read the answer differently (e.g. the lexical tier and the learned tier). */
    DISAGREEMENT("disagreement"),
    /** The deciding score lies within the configured band around its threshold. */
    NEAR_THRESHOLD("near-threshold");

    private final String id;

    ReviewReason(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
