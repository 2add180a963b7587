package io.steerguard.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.api.RequestParser.Invalid;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.ToolChoice;
import io.steerguard.runtime.Tools;

/**
 * Reads a chat request's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}, and the
 * {@code tool_calls} of assistant turns in the history, with OpenAI's rules and error wording: a
 * function needs a valid name, {@code parameters} is a JSON Schema object, {@code tools} is not empty
 * and holds at most {@value #MAX_TOOLS} functions, {@code tool_choice} and {@code parallel_tool_calls}
 * are only allowed with {@code tools}, and a named choice must name an offered function.
 */
final class ToolFields {

    /** OpenAI's limit on functions per request. */
    static final int MAX_TOOLS = 128;

    private ToolFields() {
    }

    static Tools tools(JsonNode root) {
        JsonNode toolsNode = root.get("tools");
        List<FunctionTool> functions = new ArrayList<>();
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) {
                throw new Invalid("Invalid type for 'tools': expected an array, but got "
                        + RequestParser.typeName(toolsNode) + " instead.", "tools");
            }
            if (toolsNode.isEmpty()) {
                throw new Invalid("Invalid 'tools': empty array. Expected an array with minimum length 1, but got an "
                        + "empty array instead.", "tools");
            }
            if (toolsNode.size() > MAX_TOOLS) {
                throw new Invalid("Invalid 'tools': array too long. Expected an array with maximum length " + MAX_TOOLS
                        + ", but got an array with length " + toolsNode.size() + " instead.", "tools");
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < toolsNode.size(); i++) {
                FunctionTool f = function(toolsNode.get(i), "tools[" + i + "]");
                if (!names.add(f.name())) {
                    throw new Invalid("Invalid 'tools[" + i + "].function.name': the function name '" + f.name()
                            + "' is used twice.", "tools[" + i + "].function.name");
                }
                functions.add(f);
            }
        }
        ToolChoice choice = choice(root.get("tool_choice"), functions);
        Boolean parallel = null;
        JsonNode p = root.get("parallel_tool_calls");
        if (p != null && !p.isNull()) {
            if (!p.isBoolean()) {
                throw new Invalid("Invalid type for 'parallel_tool_calls': expected a boolean, but got "
                        + RequestParser.typeName(p) + " instead.", "parallel_tool_calls");
            }
            if (functions.isEmpty()) {
                throw new Invalid("Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when "
                        + "'tools' are specified.", "parallel_tool_calls");
            }
            parallel = p.asBoolean();
        }
        return new Tools(functions, choice, parallel);
    }

    private static FunctionTool function(JsonNode tool, String path) {
        if (tool == null || !tool.isObject()) {
            throw new Invalid("Invalid '" + path + "': expected an object like {\"type\": \"function\", \"function\": "
                    + "{\"name\": ...}}.", path);
        }
        JsonNode type = tool.get("type");
        if (type == null || type.isNull()) {
            throw new Invalid("Missing required parameter: '" + path + ".type'.", path + ".type");
        }
        if (!"function".equals(type.asText()) || !type.isTextual()) {
            throw new Invalid("Invalid value: '" + type.asText() + "'. Supported values are: 'function'.", path + ".type");
        }
        JsonNode fn = tool.get("function");
        if (fn == null || fn.isNull()) {
            throw new Invalid("Missing required parameter: '" + path + ".function'.", path + ".function");
        }
        if (!fn.isObject()) {
            throw new Invalid("Invalid type for '" + path + ".function': expected an object, but got "
                    + RequestParser.typeName(fn) + " instead.", path + ".function");
        }
        String name = RequestParser.requiredStringAt(fn, "name", path + ".function.name");
        if (!FunctionTool.validName(name)) {
            throw new Invalid("Invalid '" + path + ".function.name': string does not match pattern. Expected a string "
                    + "that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.", path + ".function.name");
        }
        String description = null;
        JsonNode d = fn.get("description");
        if (d != null && !d.isNull()) {
            if (!d.isTextual()) {
                throw new Invalid("Invalid type for '" + path + ".function.description': expected a string, but got "
                        + RequestParser.typeName(d) + " instead.", path + ".function.description");
            }
            description = d.asText();
        }
        Map<String, Object> parameters = null;
        JsonNode params = fn.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new Invalid("Invalid type for '" + path + ".function.parameters': expected an object, but got "
                        + RequestParser.typeName(params) + " instead.", path + ".function.parameters");
            }
            parameters = JsonTrees.toMap(params);
        }
        Boolean strict = null;
        JsonNode st = fn.get("strict");
        if (st != null && !st.isNull()) {
            if (!st.isBoolean()) {
                throw new Invalid("Invalid type for '" + path + ".function.strict': expected a boolean, but got "
                        + RequestParser.typeName(st) + " instead.", path + ".function.strict");
            }
            strict = st.asBoolean();
        }
        return new FunctionTool(name, description, parameters, strict);
    }

    private static ToolChoice choice(JsonNode c, List<FunctionTool> functions) {
        if (c == null || c.isNull()) {
            return null;
        }
        ToolChoice choice;
        if (c.isTextual()) {
            choice = switch (c.asText()) {
                case "none" -> new ToolChoice.None();
                case "auto" -> new ToolChoice.Auto();
                case "required" -> new ToolChoice.Required();
                default -> throw new Invalid("Invalid value: '" + c.asText() + "'. Supported values are: 'none', "
                        + "'auto', and 'required'.", "tool_choice");
            };
        } else if (c.isObject()) {
            if (!"function".equals(c.path("type").asText())) {
                throw new Invalid("Invalid value for 'tool_choice.type': expected 'function'.", "tool_choice.type");
            }
            JsonNode fn = c.get("function");
            if (fn == null || !fn.isObject()) {
                throw new Invalid("Missing required parameter: 'tool_choice.function'.", "tool_choice.function");
            }
            choice = new ToolChoice.Function(RequestParser.requiredStringAt(fn, "name", "tool_choice.function.name"));
        } else {
            throw new Invalid("Invalid type for 'tool_choice': expected one of 'none', 'auto', 'required' or an object "
                    + "naming a function, but got " + RequestParser.typeName(c) + " instead.", "tool_choice");
        }
        if (functions.isEmpty()) {
            throw new Invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are "
                    + "specified.", "tool_choice");
        }
        if (choice instanceof ToolChoice.Function f && functions.stream().noneMatch(t -> t.name().equals(f.name()))) {
            throw new Invalid("Invalid value for 'tool_choice': function '" + f.name() + "' is not one of the 'tools'.",
                    "tool_choice.function.name");
        }
        return choice;
    }

    /** An assistant turn's {@code tool_calls}: {@code [{"id", "type": "function", "function": {"name", "arguments"}}]}. */
    static List<ToolCall> historyCalls(JsonNode calls, String path) {
        if (!calls.isArray()) {
            throw new Invalid("Invalid type for '" + path + "': expected an array, but got "
                    + RequestParser.typeName(calls) + " instead.", path);
        }
        List<ToolCall> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode call = calls.get(i);
            if (!call.isObject()) {
                throw new Invalid("Invalid '" + at + "': expected an object with 'id', 'type' and 'function'.", at);
            }
            String id = RequestParser.requiredStringAt(call, "id", at + ".id");
            JsonNode type = call.get("type");
            if (type == null || !"function".equals(type.asText()) || !type.isTextual()) {
                throw new Invalid("Invalid value for '" + at + ".type': expected 'function'.", at + ".type");
            }
            JsonNode fn = call.get("function");
            if (fn == null || !fn.isObject()) {
                throw new Invalid("Missing required parameter: '" + at + ".function'.", at + ".function");
            }
            String name = RequestParser.requiredStringAt(fn, "name", at + ".function.name");
            JsonNode args = fn.get("arguments");
            if (args == null || args.isNull()) {
                throw new Invalid("Missing required parameter: '" + at + ".function.arguments'.", at + ".function.arguments");
            }
            if (!args.isTextual()) {
                throw new Invalid("Invalid type for '" + at + ".function.arguments': expected a string (JSON text), but "
                        + "got " + RequestParser.typeName(args) + " instead.", at + ".function.arguments");
            }
            out.add(new ToolCall(id, name, args.asText()));
        }
        return out;
    }

    /** Jackson trees to plain Java JSON values, so the core types stay free of Jackson. */
    static final class JsonTrees {
        private JsonTrees() {
        }

        static Map<String, Object> toMap(JsonNode object) {
            Map<String, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), value(e.getValue()));
            }
            return out;
        }

        static Object value(JsonNode v) {
            return switch (v.getNodeType()) {
                case OBJECT -> toMap(v);
                case ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    v.forEach(x -> list.add(value(x)));
                    yield list;
                }
                case STRING -> v.asText();
                case NUMBER -> v.numberValue();
                case BOOLEAN -> v.asBoolean();
                default -> null;
            };
        }
    }
}
