package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * Llama 3.x JSON format: the whole answer is one object {@code {"name": "f", "parameters": {...}}}
 * (also with {@code "type": "function"}, or {@code "arguments"} for the parameters), optionally after
 * {@code <|python_tag|>}. An answer that starts otherwise is content, as is one that does not parse or
 * has no parameters field (a JSON answer that merely has a {@code name} must stay an answer).
 */
final class Llama3JsonToolCalls implements ToolCallParser {

    static final String PYTHON_TAG = "<|python_tag|>";

    @Override
    public int holdFrom(String text, boolean atStart) {
        String t = text.stripLeading();
        if (!atStart) {
            return text.length();
        }
        if (t.isEmpty() || t.startsWith("{") || t.startsWith(PYTHON_TAG) || PYTHON_TAG.startsWith(t)) {
            return 0;
        }
        return text.length();
    }

    @Override
    public boolean callStarted(String text, boolean atStart) {
        String t = text.stripLeading();
        return atStart && (t.startsWith("{") || t.startsWith(PYTHON_TAG));
    }

    @Override
    public Parsed parse(String text) {
        String t = text.strip();
        if (t.startsWith(PYTHON_TAG)) {
            t = t.substring(PYTHON_TAG.length());
        }
        Optional<Call> call = ToolCallJson.object(t).filter(o -> {
            JsonNode type = o.get("type");
            return type == null || "function".equals(type.asText(null));
        }).flatMap(o -> ToolCallJson.call(o, false, "parameters", "arguments"));
        return call.<Parsed>map(c -> new Calls("", List.of(c))).orElseGet(() -> new Content(text));
    }
}
