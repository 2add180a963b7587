package io.steerguard.shadow;

/** What became of a sampled request, as counted in {@code steerguard_shadow_samples_total{outcome}}. */
public enum ShadowOutcome {
    /** Both answers classified; a paired sample was recorded. */
    PAIRED("paired"),
    /** The queue was full; the sample was dropped on purpose. */
    DROPPED("dropped"),
    /** The twin generation or a classifier failed. */
    ERROR("error"),
    /** The client's request failed or was cancelled before its answer was complete; nothing was run. */
    SKIPPED("skipped");

    private final String tagValue;

    ShadowOutcome(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
