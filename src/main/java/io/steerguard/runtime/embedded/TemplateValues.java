package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.ToolCall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Messages and tools as the dicts Hugging Face chat templates read: {@code message.role},
 * {@code message.content}, an assistant's {@code message.tool_calls[i].function.{name, arguments}}
 * (arguments as a dict, as {@code transformers} passes them, so {@code | tojson} prints the object
 * and not a quoted string), a tool turn's {@code tool_call_id}, and {@code tools} as OpenAI's
 * {@code {"type": "function", "function": {name, description, parameters}}}. Every client string,
 * keys included, passes through {@code clean} (the control-token guard).
 */
final class TemplateValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateValues() {
    }

    static List<Map<String, Object>> messages(List<ChatMessage> messages, UnaryOperator<String> clean) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", clean.apply(message.role()));
            m.put("content", clean.apply(message.content()));
            if (!message.toolCalls().isEmpty()) {
                List<Map<String, Object>> calls = new ArrayList<>();
                for (ToolCall call : message.toolCalls()) {
                    Map<String, Object> function = new LinkedHashMap<>();
                    function.put("name", clean.apply(call.name()));
                    function.put("arguments", arguments(clean.apply(call.arguments())));
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("id", clean.apply(call.id()));
                    c.put("type", "function");
                    c.put("function", function);
                    calls.add(c);
                }
                m.put("tool_calls", calls);
            }
            if (message.toolCallId() != null) {
                m.put("tool_call_id", clean.apply(message.toolCallId()));
            }
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> tools(List<FunctionTool> tools, UnaryOperator<String> clean) {
        List<Map<String, Object>> out = new ArrayList<>(tools.size());
        for (FunctionTool tool : tools) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", tool.name());
            if (tool.description() != null) {
                function.put("description", clean.apply(tool.description()));
            }
            if (tool.parameters() != null) {
                function.put("parameters", tree(tool.parameters(), clean));
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", "function");
            t.put("function", function);
            out.add(t);
        }
        return out;
    }

    /** The arguments object when the text is one, else the text itself (templates then print it as is). */
    private static Object arguments(String text) {
        try {
            Object parsed = JSON.readValue(text, Object.class);
            return parsed instanceof Map ? parsed : text;
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static Object tree(Object node, UnaryOperator<String> clean) {
        if (node instanceof String s) {
            return clean.apply(s);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(clean.apply(String.valueOf(k)), tree(v, clean)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> tree(v, clean)).toList();
        }
        return node;
    }
}
