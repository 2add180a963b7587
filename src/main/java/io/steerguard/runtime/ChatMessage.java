package io.steerguard.runtime;

import java.util.Objects;

/**
 * One chat turn. Roles are the OpenAI ones ({@code system}, {@code user}, {@code assistant},
 * {@code developer}, {@code tool}); chat templates decide how each is rendered.
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
