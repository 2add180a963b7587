package io.steerguard.shadow;

/**
 * What became of a sampled request, as counted in {@code steerguard_shadow_samples_total{outcome}}
 * (with its {@code tenant} and {@code profile}).
 */
public enum ShadowOutcome {
    /**
     * Both answers classified; a paired sample was recorded. Includes pairs whose client hung up
     * (also counted in {@code steerguard_shadow_paired_after_disconnect_total}).
     */
    PAIRED("paired"),
    /** The tenant's share of the queue was full (or it was pushed out for a tenant under its share); dropped on purpose. */
    DROPPED("dropped"),
    /** The twin generation or a classifier failed. */
    ERROR("error"),
    /**
     * The client's request failed (a runtime fault, or a block that ended the stream) before its
     * answer was complete; nothing was run. A client hanging up is not a skip: its generation runs on.
     */
    SKIPPED("skipped");

    private final String tagValue;

    ShadowOutcome(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
