package io.steerguard.api.responses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.ToolChoice;
import io.steerguard.runtime.Tools;

/**
 * Reads Responses' {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} into the
 * runtime's {@link Tools}. Responses' function tools are flat ({@code {"type": "function", "name",
 * "description", "parameters", "strict"}}), unlike chat's nested {@code function} object; built-in
 * tools (web search, file search, computer use, code interpreter, MCP, ...) run on OpenAI's side and
 * are a 400 naming the tool.
 */
final class ResponsesTools {

    private ResponsesTools() {
    }

    static Tools read(ObjectMapper mapper, JsonNode tools, JsonNode choice, JsonNode parallel) {
        List<FunctionTool> functions = functions(mapper, tools);
        ToolChoice toolChoice = choice(choice, functions);
        Boolean parallelCalls = Json.present(parallel) ? Json.bool(parallel, "parallel_tool_calls") : null;
        return new Tools(functions, toolChoice, parallelCalls);
    }

    private static List<FunctionTool> functions(ObjectMapper mapper, JsonNode tools) {
        List<FunctionTool> out = new ArrayList<>();
        if (!Json.present(tools)) {
            return out;
        }
        if (!tools.isArray()) {
            throw Json.wrongType("tools", "an array", tools);
        }
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                throw Json.wrongType(path, "an object", tool);
            }
            JsonNode type = tool.get("type");
            if (!Json.present(type)) {
                throw new Json.Invalid("Missing required parameter: '" + path + ".type'.", path + ".type");
            }
            if (!"function".equals(Json.string(type, path + ".type"))) {
                throw new Json.Invalid("Invalid '" + path + ".type': built-in tool '" + type.asText() + "' is not "
                        + "supported by SteerGuard; only function tools are.", path + ".type");
            }
            JsonNode name = tool.get("name");
            if (!Json.present(name)) {
                throw new Json.Invalid("Missing required parameter: '" + path + ".name'." + (tool.has("function")
                        ? " Responses function tools are flat: {\"type\": \"function\", \"name\": ..., \"parameters\": "
                        + "...}, not chat's nested 'function' object." : ""), path + ".name");
            }
            if (!FunctionTool.validName(Json.string(name, path + ".name"))) {
                throw new Json.Invalid("Invalid '" + path + ".name': expected 1-64 characters of a-z, A-Z, 0-9, _ and -.",
                        path + ".name");
            }
            if (out.stream().anyMatch(f -> f.name().equals(name.asText()))) {
                throw new Json.Invalid("Invalid '" + path + ".name': '" + name.asText() + "' is offered twice.",
                        path + ".name");
            }
            JsonNode description = tool.get("description");
            JsonNode parameters = tool.get("parameters");
            if (Json.present(parameters) && !parameters.isObject()) {
                throw Json.wrongType(path + ".parameters", "an object", parameters);
            }
            JsonNode strict = tool.get("strict");
            out.add(new FunctionTool(name.asText(),
                    Json.present(description) ? Json.string(description, path + ".description") : null,
                    Json.present(parameters) ? schema(mapper, parameters) : null,
                    Json.present(strict) ? Json.bool(strict, path + ".strict") : null));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(ObjectMapper mapper, JsonNode parameters) {
        return mapper.convertValue(parameters, LinkedHashMap.class);
    }

    private static ToolChoice choice(JsonNode choice, List<FunctionTool> functions) {
        if (!Json.present(choice)) {
            return null;
        }
        ToolChoice read;
        if (choice.isTextual()) {
            read = switch (choice.asText()) {
                case "none" -> new ToolChoice.None();
                case "auto" -> new ToolChoice.Auto();
                case "required" -> new ToolChoice.Required();
                default -> throw new Json.Invalid("Invalid 'tool_choice': expected 'none', 'auto', 'required' or "
                        + "{\"type\": \"function\", \"name\": ...}.", "tool_choice");
            };
        } else if (choice.isObject() && "function".equals(choice.path("type").asText())) {
            JsonNode name = choice.get("name");
            if (!Json.present(name)) {
                throw new Json.Invalid("Missing required parameter: 'tool_choice.name'.", "tool_choice.name");
            }
            String function = Json.string(name, "tool_choice.name");
            if (functions.stream().noneMatch(f -> f.name().equals(function))) {
                throw new Json.Invalid("Invalid 'tool_choice.name': no function '" + function + "' is in 'tools'.",
                        "tool_choice.name");
            }
            read = new ToolChoice.Function(function);
        } else {
            throw new Json.Invalid("Invalid 'tool_choice': only 'none', 'auto', 'required' and function choices "
                    + "are supported by SteerGuard.", "tool_choice");
        }
        if (functions.isEmpty() && (read instanceof ToolChoice.Required || read instanceof ToolChoice.Function)) {
            throw new Json.Invalid("Invalid 'tool_choice': '" + (read.keyword() != null ? read.keyword() : "function")
                    + "' needs at least one tool in 'tools'.", "tool_choice");
        }
        return read;
    }
}
