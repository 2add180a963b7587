package io.steerguard.review;

import java.util.Objects;

/** One label as the admin API received it (already validated there). */
public record LabelRequest(String id, ReviewLabel label, String reviewer) {

    public LabelRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reviewer, "reviewer");
    }
}
