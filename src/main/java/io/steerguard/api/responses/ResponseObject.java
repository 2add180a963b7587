package io.steerguard.api.responses;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.api.OpenAiError;
import io.steerguard.runtime.Usage;

/**
 * Writes OpenAI's {@code response} object for one request, in the field order OpenAI sends: the
 * non-streamed answer, and the snapshot every {@code response.*} lifecycle event carries. The
 * request's settings are echoed as OpenAI echoes them (defaults filled in, {@code store: false}).
 */
final class ResponseObject {

    /** OpenAI's response status. */
    enum Status {
        IN_PROGRESS("in_progress"), COMPLETED("completed"), INCOMPLETE("incomplete"), FAILED("failed");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }
    }

    /**
     * The state a snapshot shows.
     *
     * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete, else {@code null}
     * @param usage            the token counts, or {@code null} while in progress
     * @param error            the failure of a {@link Status#FAILED} response, else {@code null}
     */
    record Snapshot(Status status, List<OutputItem> output, String incompleteReason, Usage usage, OpenAiError error) {
        Snapshot {
            Objects.requireNonNull(status, "status");
            output = List.copyOf(output);
        }
    }

    private static final ObjectMapper ECHO = new ObjectMapper();

    private final ResponsesRequest request;
    private final String id;
    private final long createdAt;

    ResponseObject(ResponsesRequest request, String id, long createdAt) {
        this.request = Objects.requireNonNull(request, "request");
        this.id = Objects.requireNonNull(id, "id");
        this.createdAt = createdAt;
    }

    String id() {
        return id;
    }

    void write(JsonGenerator g, Snapshot s) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("object", "response");
        g.writeNumberField("created_at", createdAt);
        g.writeStringField("status", s.status().wire);
        g.writeBooleanField("background", false);
        if (s.status() == Status.COMPLETED) {
            g.writeNumberField("completed_at", System.currentTimeMillis() / 1000);
        } else {
            g.writeNullField("completed_at");
        }
        if (s.error() != null) {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", s.error().code() != null ? s.error().code() : "server_error");
            g.writeStringField("message", s.error().message());
            g.writeEndObject();
        } else {
            g.writeNullField("error");
        }
        if (s.incompleteReason() != null) {
            g.writeObjectFieldStart("incomplete_details");
            g.writeStringField("reason", s.incompleteReason());
            g.writeEndObject();
        } else {
            g.writeNullField("incomplete_details");
        }
        nullableString(g, "instructions", request.instructions());
        if (request.maxOutputTokens() != null) {
            g.writeNumberField("max_output_tokens", request.maxOutputTokens());
        } else {
            g.writeNullField("max_output_tokens");
        }
        g.writeStringField("model", request.model());
        g.writeArrayFieldStart("output");
        for (OutputItem item : s.output()) {
            writeItem(g, item);
        }
        g.writeEndArray();
        g.writeBooleanField("parallel_tool_calls", request.parallelToolCalls());
        g.writeNullField("previous_response_id");
        g.writeObjectFieldStart("reasoning");
        g.writeNullField("effort");
        g.writeNullField("summary");
        g.writeEndObject();
        g.writeBooleanField("store", false);
        g.writeNumberField("temperature", request.temperature());
        g.writeObjectFieldStart("text");
        g.writeObjectFieldStart("format");
        g.writeStringField("type", "text");
        g.writeEndObject();
        g.writeEndObject();
        g.writeFieldName("tool_choice");
        ECHO.writeTree(g, request.toolChoice());
        g.writeFieldName("tools");
        ECHO.writeTree(g, request.tools());
        g.writeNumberField("top_p", request.topP());
        g.writeStringField("truncation", "disabled");
        if (s.usage() != null) {
            usage(g, s.usage());
        } else {
            g.writeNullField("usage");
        }
        g.writeNullField("user");
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> e : request.metadata().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    static void writeItem(JsonGenerator g, OutputItem item) throws IOException {
        if (item instanceof OutputItem.Message m) {
            g.writeStartObject();
            g.writeStringField("id", m.id());
            g.writeStringField("type", "message");
            g.writeStringField("status", m.status().wire());
            g.writeStringField("role", "assistant");
            g.writeArrayFieldStart("content");
            if (m.text() != null) {
                writeTextPart(g, m.text());
            }
            g.writeEndArray();
            g.writeEndObject();
        } else if (item instanceof OutputItem.FunctionCall c) {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("type", "function_call");
            g.writeStringField("status", c.status().wire());
            g.writeStringField("arguments", c.arguments());
            g.writeStringField("call_id", c.callId());
            g.writeStringField("name", c.name());
            g.writeEndObject();
        }
    }

    static void writeTextPart(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "output_text");
        g.writeArrayFieldStart("annotations");
        g.writeEndArray();
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", usage.promptTokens());
        g.writeObjectFieldStart("input_tokens_details");
        g.writeNumberField("cached_tokens", 0);
        g.writeNumberField("cache_write_tokens", 0);
        g.writeEndObject();
        g.writeNumberField("output_tokens", usage.completionTokens());
        g.writeObjectFieldStart("output_tokens_details");
        g.writeNumberField("reasoning_tokens", 0);
        g.writeEndObject();
        g.writeNumberField("total_tokens", usage.totalTokens());
        g.writeEndObject();
    }

    private static void nullableString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        } else {
            g.writeNullField(field);
        }
    }
}
