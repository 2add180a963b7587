package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.ToolChoice;
import io.steerguard.runtime.Tools;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the tool-related parts of an upstream chat request in OpenAI's shape: the messages' tool
 * fields and the request's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}. Only
 * fields the client set are written, so an upstream applies its own defaults exactly as it would for
 * the client (vLLM, for one, defaults {@code tool_choice} to {@code auto} when tools are present).
 */
final class UpstreamTools {

    private UpstreamTools() {
    }

    static void writeMessage(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role());
        if (!m.toolCalls().isEmpty() && m.content().isEmpty()) {
            // the client's "content": null (or absent) on a turn that only calls tools
            g.writeNullField("content");
        } else {
            g.writeStringField("content", m.content());
        }
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall call : m.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", call.name());
                g.writeStringField("arguments", call.arguments());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (m.toolCallId() != null) {
            g.writeStringField("tool_call_id", m.toolCallId());
        }
        g.writeEndObject();
    }

    static void writeTools(JsonGenerator g, Tools tools) throws IOException {
        if (!tools.functions().isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (FunctionTool f : tools.functions()) {
                g.writeStartObject();
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", f.name());
                if (f.description() != null) {
                    g.writeStringField("description", f.description());
                }
                if (f.parameters() != null) {
                    g.writeFieldName("parameters");
                    writeValue(g, f.parameters());
                }
                if (f.strict() != null) {
                    g.writeBooleanField("strict", f.strict());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        ToolChoice choice = tools.choice();
        if (choice instanceof ToolChoice.Function named) {
            g.writeObjectFieldStart("tool_choice");
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", named.name());
            g.writeEndObject();
            g.writeEndObject();
        } else if (choice != null) {
            g.writeStringField("tool_choice", choice.keyword());
        }
        if (tools.parallelToolCalls() != null) {
            g.writeBooleanField("parallel_tool_calls", tools.parallelToolCalls());
        }
    }

    /** A plain JSON tree (see {@link FunctionTool#parameters()}). */
    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object x : list) {
                writeValue(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else {
            throw new IOException("not a JSON value: " + v.getClass().getName());
        }
    }
}
