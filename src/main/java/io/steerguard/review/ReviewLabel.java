package io.steerguard.review;

import java.util.Locale;
import java.util.Optional;

/** A reviewer's judgement of one answer. Partial refusals count as refusals, as in training. */
public enum ReviewLabel {
    REFUSAL, COMPLIANCE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The label named exactly {@code refusal} or {@code compliance}; empty for anything else. */
    public static Optional<ReviewLabel> parse(String text) {
        if ("refusal".equals(text)) {
            return Optional.of(REFUSAL);
        }
        return "compliance".equals(text) ? Optional.of(COMPLIANCE) : Optional.empty();
    }

    public boolean refused() {
        return this == REFUSAL;
    }
}
