package io.steerguard.classifier;

import java.util.Objects;

/**
 * One prompt and the model's response to it, the unit every classifier judges.
 *
 * @param prompt   the user's request (may be empty when unknown)
 * @param response the model's answer, or its first tokens
 */
public record Exchange(String prompt, String response) {
    public Exchange {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
    }
}
