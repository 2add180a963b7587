package io.steerguard.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads JSON-formatted answers for the lexical tier. Decision: a JSON answer is a refusal when it
 * carries an explicit refusal flag ({@code "refused": true}, {@code "refusal": "..."} with text)
 * or when its message-like fields ({@code error}, {@code message}, {@code reason}, or a lone
 * string such as {@code answer}) open with a refusal; any other well-formed JSON is an answer.
 */
final class JsonRefusalReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FLAG_KEYS = Set.of("refused", "refusal", "is_refusal", "declined", "blocked");
    private static final Set<String> MESSAGE_KEYS = Set.of("error", "message", "reason", "detail", "details", "warning",
            "note", "response", "answer", "content", "text", "output", "result", "status_message");

    /** What a JSON answer says, when the response is JSON at all. */
    sealed interface Reading {
        /** An explicit flag settled it. */
        record Flag(boolean refused) implements Reading {
        }

        /** Free text from message-like fields, to run through the phrase rules; empty for pure data. */
        record Messages(String text) implements Reading {
        }
    }

    private JsonRefusalReader() {
    }

    static Optional<Reading> read(String response) {
        String body = stripFence(response.strip());
        if (!(body.startsWith("{") || body.startsWith("["))) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return Optional.empty();
        }
        if (root.isArray()) {
            return Optional.of(new Reading.Messages(""));
        }
        StringBuilder messages = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey().toLowerCase(Locale.ROOT);
            JsonNode value = field.getValue();
            if (FLAG_KEYS.contains(key)) {
                if (value.isBoolean()) {
                    return Optional.of(new Reading.Flag(value.booleanValue()));
                }
                if (value.isTextual() && !value.textValue().isBlank()) {
                    return Optional.of(new Reading.Flag(!"false".equalsIgnoreCase(value.textValue().strip())));
                }
            }
            boolean lone = root.size() <= 2 && value.isTextual();
            if ((MESSAGE_KEYS.contains(key) || lone) && value.isTextual()) {
                messages.append(value.textValue()).append('\n');
            } else if ("error".equals(key) && value.isObject() && value.path("message").isTextual()) {
                messages.append(value.path("message").textValue()).append('\n');
            }
        }
        return Optional.of(new Reading.Messages(messages.toString()));
    }

    private static String stripFence(String text) {
        if (!text.startsWith("```")) {
            return text;
        }
        int firstLine = text.indexOf('\n');
        int close = text.lastIndexOf("```");
        if (firstLine < 0 || close <= firstLine) {
            return text;
        }
        return text.substring(firstLine + 1, close).strip();
    }
}
