package io.steerguard.review;

import java.util.Locale;

/** Which answer of a mirrored pair an item is: the client's steered answer or its unsteered twin. */
public enum ReviewSide {
    STEERED, UNSTEERED;

    /** The lowercase name used in JSON and the label log. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReviewSide fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
