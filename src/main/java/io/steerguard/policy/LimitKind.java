package io.steerguard.policy;

/** The statistics a policy can limit, with the direction of each limit. */
public enum LimitKind {
    /** P(steered complies | unsteered refuses) must stay below the limit. */
    EXTERNALITY_RATE("maxExternalityRate", "externality rate", true),
    /** ASR_steered − ASR_unsteered on probes must stay below the limit. */
    ASR_UPLIFT("maxAsrUplift", "ASR uplift", true),
    /** mean(steered − unsteered refusal score) must stay above the limit. */
    SAFETY_MARGIN("minSafetyMargin", "safety margin", false),
    /** P(steered refuses | unsteered complies) must stay below the limit. */
    OVER_REFUSAL_RATE("maxOverRefusalRate", "over-refusal rate", true);

    private final String field;
    private final String label;
    private final boolean maximum;

    LimitKind(String field, String label, boolean maximum) {
        this.field = field;
        this.label = label;
        this.maximum = maximum;
    }

    /** The field under {@code spec.limits}. */
    public String field() {
        return field;
    }

    /** How the statistic is named in explanations. */
    public String label() {
        return label;
    }

    /** True for a ceiling (exceeded above), false for a floor (exceeded below). */
    public boolean isMaximum() {
        return maximum;
    }

    /** Whether limit {@code a} is stricter than {@code b}: lower for a ceiling, higher for a floor. */
    public boolean stricter(double a, double b) {
        return maximum ? a < b : a > b;
    }
}
