package io.steerguard.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One chat turn. Roles are the OpenAI ones ({@code system}, {@code user}, {@code assistant},
 * {@code developer}, {@code tool}); chat templates decide how each is rendered.
 *
 * @param role       the speaker
 * @param content    the text; an assistant turn that only calls tools has {@code ""} here (OpenAI's
 *                   {@code "content": null}, which a remote runtime forwards as {@code null} again)
 * @param toolCalls  an assistant turn's calls, empty otherwise
 * @param toolCallId a {@code tool} turn's answer to this call id, {@code null} otherwise
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(toolCalls, "toolCalls");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        toolCalls = List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && !"assistant".equals(role)) {
            throw new IllegalArgumentException("only assistant messages carry tool calls");
        }
        if (toolCallId != null && !"tool".equals(role)) {
            throw new IllegalArgumentException("only tool messages carry a tool_call_id");
        }
    }

    /** A plain text turn. */
    public ChatMessage(String role, String content) {
        this(role, content, List.of(), null);
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

    /** An assistant turn that called tools; {@code content} may be {@code ""}. */
    public static ChatMessage assistantCalls(String content, List<ToolCall> calls) {
        return new ChatMessage("assistant", content, calls, null);
    }

    /** A tool's result for the call {@code toolCallId}. */
    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, List.of(), Objects.requireNonNull(toolCallId, "toolCallId"));
    }
}
