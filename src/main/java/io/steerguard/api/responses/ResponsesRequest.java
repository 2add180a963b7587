package io.steerguard.api.responses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.api.CompletionRequest;

/**
 * A validated {@code POST /v1/responses} request: the runtime's request, plus what the answer's
 * {@code response} object echoes back.
 *
 * @param completion        what the runtime path serves (a chat prompt and sampling)
 * @param instructions      the {@code instructions} string, or {@code null}
 * @param metadata          the client's key-value pairs (bounded as OpenAI bounds them), in order
 * @param maxOutputTokens   {@code max_output_tokens} as sent, or {@code null}
 * @param temperature       as sent, or OpenAI's default 1
 * @param topP              as sent, or OpenAI's default 1
 * @param parallelToolCalls {@code parallel_tool_calls} as sent, or {@code true}
 * @param toolChoice        {@code tool_choice} as sent, or {@code "auto"}
 * @param tools             {@code tools} as sent (an array), or an empty array
 */
record ResponsesRequest(CompletionRequest completion, String instructions, Map<String, String> metadata,
                        Integer maxOutputTokens, double temperature, double topP, boolean parallelToolCalls,
                        JsonNode toolChoice, JsonNode tools) {

    /** OpenAI's bounds on {@code metadata}. */
    static final int MAX_METADATA_KEYS = 16;
    static final int MAX_METADATA_KEY_CHARS = 64;
    static final int MAX_METADATA_VALUE_CHARS = 512;

    ResponsesRequest {
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(tools, "tools");
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw new IllegalArgumentException("metadata holds at most " + MAX_METADATA_KEYS + " pairs");
        }
        metadata.forEach((k, v) -> {
            if (k.length() > MAX_METADATA_KEY_CHARS || v.length() > MAX_METADATA_VALUE_CHARS) {
                throw new IllegalArgumentException("metadata keys are at most " + MAX_METADATA_KEY_CHARS
                        + " characters, values at most " + MAX_METADATA_VALUE_CHARS);
            }
        });
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (!tools.isArray()) {
            throw new IllegalArgumentException("tools must be an array");
        }
    }

    String model() {
        return completion.model();
    }
}
