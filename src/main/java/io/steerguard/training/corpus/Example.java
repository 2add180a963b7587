package io.steerguard.training.corpus;

import java.util.Objects;

/**
 * One single-turn chat example. {@code system} may be null; {@code check} is how the evaluation
 * scores a model's answer to this prompt (the {@code response} here always passes it).
 */
public record Example(String id, Category category, Split split, String topic, String system, String prompt,
        String response, AnswerCheck check) {

    public Example {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(check, "check");
        requireText(id, "id");
        requireText(topic, "topic");
        requireText(prompt, "prompt");
        requireText(response, "response");
        if (system != null && system.isBlank()) {
            throw new IllegalArgumentException("system must be null or non-blank");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be non-blank");
        }
    }
}
