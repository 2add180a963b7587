package io.steerguard.api.responses;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.ToolCall;

/**
 * Turns a Responses {@code input} (a string, or a list of items) and {@code instructions} into the
 * chat messages every runtime already takes. Only what can be rendered faithfully as chat is
 * accepted: messages, and function calls with their outputs (as an assistant turn's tool calls and a
 * {@code tool} turn). An item the gateway would have to drop or invent (images, files, references to
 * stored items, built-in tool calls, reasoning) is a 400 naming it, never silently left out.
 */
final class ResponsesInput {

    private static final Set<String> ROLES = Set.of("user", "system", "developer", "assistant");

    private ResponsesInput() {
    }

    static List<ChatMessage> messages(JsonNode instructions, JsonNode input) {
        List<ChatMessage> messages = new ArrayList<>();
        if (Json.present(instructions)) {
            // Responses' instructions are a system message ahead of the input, not carried over between turns
            messages.add(ChatMessage.system(Json.string(instructions, "instructions")));
        }
        if (!Json.present(input)) {
            throw new Json.Invalid("Missing required parameter: 'input'.", "input");
        }
        if (input.isTextual()) {
            messages.add(ChatMessage.user(input.asText()));
            return messages;
        }
        if (!input.isArray()) {
            throw Json.wrongType("input", "a string or an array of input items", input);
        }
        if (input.isEmpty()) {
            throw new Json.Invalid("Invalid 'input': expected a non-empty array of input items.", "input");
        }
        for (int i = 0; i < input.size(); i++) {
            item(messages, input.get(i), "input[" + i + "]");
        }
        return messages;
    }

    private static void item(List<ChatMessage> messages, JsonNode item, String path) {
        if (!item.isObject()) {
            throw Json.wrongType(path, "an object", item);
        }
        JsonNode typeNode = item.get("type");
        String type = Json.present(typeNode) ? Json.string(typeNode, path + ".type") : "message";
        if ("message".equals(type)) {
            messages.add(message(item, path));
            return;
        }
        if ("function_call".equals(type)) {
            call(messages, new ToolCall(required(item, "call_id", path), required(item, "name", path),
                    required(item, "arguments", path)));
            return;
        }
        if ("function_call_output".equals(type)) {
            messages.add(ChatMessage.tool(required(item, "call_id", path), output(item.get("output"), path + ".output")));
            return;
        }
        if ("item_reference".equals(type)) {
            throw new Json.Invalid("Invalid '" + path + "': item references need stored responses, which SteerGuard "
                    + "does not keep; send the item itself.", path + ".type");
        }
        throw new Json.Invalid("Invalid '" + path + ".type': '" + type + "' items are not supported by SteerGuard; "
                + "send message items.", path + ".type");
    }

    /**
     * A function call joins the assistant turn before it: Responses lists a turn's text and its calls
     * as separate items, chat keeps them in one assistant message.
     */
    private static void call(List<ChatMessage> messages, ToolCall call) {
        ChatMessage last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && "assistant".equals(last.role())) {
            List<ToolCall> calls = new ArrayList<>(last.toolCalls());
            calls.add(call);
            messages.set(messages.size() - 1, ChatMessage.assistantCalls(last.content(), calls));
        } else {
            messages.add(ChatMessage.assistantCalls("", List.of(call)));
        }
    }

    /** A function's result: a string, or text parts. */
    private static String output(JsonNode output, String path) {
        if (!Json.present(output)) {
            throw new Json.Invalid("Missing required parameter: '" + path + "'.", path);
        }
        return output.isTextual() ? output.asText() : content(output, "user", path);
    }

    private static String required(JsonNode item, String field, String path) {
        JsonNode v = item.get(field);
        if (!Json.present(v)) {
            throw new Json.Invalid("Missing required parameter: '" + path + "." + field + "'.", path + "." + field);
        }
        String value = Json.string(v, path + "." + field);
        if (value.isEmpty() && !"arguments".equals(field)) {
            throw new Json.Invalid("Invalid '" + path + "." + field + "': expected a non-empty string.",
                    path + "." + field);
        }
        return value;
    }

    private static ChatMessage message(JsonNode item, String path) {
        JsonNode roleNode = item.get("role");
        if (!Json.present(roleNode)) {
            throw new Json.Invalid("Missing required parameter: '" + path + ".role'.", path + ".role");
        }
        String role = Json.string(roleNode, path + ".role");
        if (!ROLES.contains(role)) {
            throw new Json.Invalid("Invalid '" + path + ".role': expected one of user, system, developer, assistant, "
                    + "but got '" + role + "'.", path + ".role");
        }
        return new ChatMessage(role, content(item.get("content"), role, path + ".content"));
    }

    /** A string, or text parts: {@code input_text} for every role, {@code output_text} for the assistant's turns. */
    private static String content(JsonNode content, String role, String path) {
        if (!Json.present(content)) {
            throw new Json.Invalid("Missing required parameter: '" + path + "'.", path);
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw Json.wrongType(path, "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partPath = path + "[" + i + "]";
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw new Json.Invalid("Invalid '" + partPath + "': expected a content part object with a 'type'.",
                        partPath);
            }
            String type = part.get("type").asText();
            boolean fits = "input_text".equals(type) || "output_text".equals(type) && "assistant".equals(role);
            if (!fits) {
                throw new Json.Invalid("Invalid '" + partPath + ".type': '" + type + "' parts are not supported in "
                        + role + " messages; SteerGuard accepts input_text" + ("assistant".equals(role)
                        ? " and output_text" : "") + " parts.", partPath + ".type");
            }
            JsonNode partText = part.get("text");
            if (!Json.present(partText)) {
                throw new Json.Invalid("Missing required parameter: '" + partPath + ".text'.", partPath + ".text");
            }
            text.append(Json.string(partText, partPath + ".text"));
        }
        return text.toString();
    }
}
