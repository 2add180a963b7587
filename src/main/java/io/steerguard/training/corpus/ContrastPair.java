package io.steerguard.training.corpus;

/**
 * A contrastive prompt pair for vector derivation: {@code positive} carries the behaviour's
 * instruction (JSON output, strict compliance), {@code negative} is the same request without it.
 */
public record ContrastPair(String id, String category, String positive, String negative) {

    public ContrastPair {
        requireText(id, "id");
        requireText(category, "category");
        requireText(positive, "positive");
        requireText(negative, "negative");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be non-blank");
        }
    }
}
