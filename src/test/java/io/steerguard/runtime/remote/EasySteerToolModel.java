package io.steerguard.runtime.remote;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The admission rules for tools, tool history, {@code n}, penalties and {@code logit_bias} of the
 * chat-completion request model at EasySteer-vllm-v1 commit {@code 6267ca0c} (the {@code vllm-steer}
 * submodule of ZJU-REAL/EasySteer), restated for the stand-in: {@code ChatCompletionRequest} and its
 * {@code check_tool_usage} validator ({@code vllm/entrypoints/openai/chat_completion/protocol.py}),
 * {@code FunctionDefinition} ({@code engine/protocol.py}), the tool-choice checks of
 * {@code renderers/online_renderer.py}, {@code SamplingParams._verify_args} and the logit-bias key
 * conversion ({@code vllm/sampling_params.py}), and the OpenAI message TypedDicts for
 * {@code tool_calls}. Returns the first error's message, or {@code null} when the server admits it.
 */
final class EasySteerToolModel {

    /** {@code VLLM_MAX_N_SEQUENCES}'s default. */
    static final int MAX_N = 16384;

    private EasySteerToolModel() {
    }

    /**
     * @param toolParser whether the server was started with {@code --enable-auto-tool-choice
     *                   --tool-call-parser <name>}
     */
    static String admit(JsonObject body, boolean toolParser) {
        List<String> errors = new ArrayList<>();
        Object n = body.getValue("n");
        if (n != null) {
            if (!(n instanceof Integer || n instanceof Long)) {
                return "n: Input should be a valid integer";
            }
            long v = ((Number) n).longValue();
            if (v < 1) {
                return "n must be at least 1, got " + v + ".";
            }
            if (v > MAX_N) {
                return "n must be at most " + MAX_N + ", got " + v + ".";
            }
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Object p = body.getValue(penalty);
            if (p != null) {
                if (!(p instanceof Number)) {
                    return penalty + ": Input should be a valid number";
                }
                double d = ((Number) p).doubleValue();
                if (!(d >= -2 && d <= 2)) {
                    return penalty + " must be in [-2, 2], got " + d + ".";
                }
            }
        }
        Object lb = body.getValue("logit_bias");
        if (lb != null) {
            if (!(lb instanceof JsonObject bias)) {
                return "logit_bias: Input should be a valid dictionary";
            }
            List<String> invalid = new ArrayList<>();
            for (String key : bias.fieldNames()) {
                if (!(bias.getValue(key) instanceof Number)) {
                    return "logit_bias." + key + ": Input should be a valid number";
                }
                try {
                    Integer.parseInt(key.strip());
                } catch (NumberFormatException e) {
                    invalid.add("'" + key + "'");
                }
            }
            if (!invalid.isEmpty()) {
                return "logit_bias contains key(s) that cannot be converted to integer token IDs: " + invalid;
            }
        }
        String messages = messages(body.getJsonArray("messages", new JsonArray()));
        if (messages != null) {
            return messages;
        }
        return tools(body, toolParser);
    }

    private static String tools(JsonObject body, boolean toolParser) {
        Object toolsValue = body.getValue("tools");
        if (toolsValue instanceof JsonArray tools && tools.isEmpty()) {
            return "`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.";
        }
        if (toolsValue != null && !(toolsValue instanceof JsonArray)) {
            return "tools: Input should be a valid list";
        }
        JsonArray tools = (JsonArray) toolsValue;
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                if (!(tools.getValue(i) instanceof JsonObject tool)) {
                    return "tools." + i + ": Input should be a valid dictionary";
                }
                Object type = tool.getValue("type", "function");
                if (!"function".equals(type)) {
                    return "tools." + i + ".type: Input should be 'function'";
                }
                if (!(tool.getValue("function") instanceof JsonObject fn)) {
                    return "tools." + i + ".function: Field required";
                }
                if (!(fn.getValue("name") instanceof String)) {
                    return "tools." + i + ".function.name: Field required";
                }
                Object d = fn.getValue("description");
                if (d != null && !(d instanceof String)) {
                    return "tools." + i + ".function.description: Input should be a valid string";
                }
                Object params = fn.getValue("parameters");
                if (params != null && !(params instanceof JsonObject)) {
                    return "tools." + i + ".function.parameters: Input should be a valid dictionary";
                }
                Object strict = fn.getValue("strict");
                if (strict != null && !(strict instanceof Boolean)) {
                    return "tools." + i + ".function.strict: Input should be a valid boolean";
                }
            }
        }
        Object parallel = body.getValue("parallel_tool_calls");
        if (parallel != null && !(parallel instanceof Boolean)) {
            return "parallel_tool_calls: Input should be a valid boolean";
        }
        // check_tool_usage: tool_choice defaults to "auto" when tools are given
        Object choice = body.containsKey("tool_choice") ? body.getValue("tool_choice")
                : (tools != null ? "auto" : null);
        if (choice == null || "none".equals(choice)) {
            return null;
        }
        if (tools == null) {
            return "When using `tool_choice`, `tools` must be set.";
        }
        if (!"auto".equals(choice) && !"required".equals(choice) && !(choice instanceof JsonObject)) {
            return "Invalid value for `tool_choice`: " + choice + "! Only named tools, \"none\", \"auto\" or "
                    + "\"required\" are supported.";
        }
        if (choice instanceof JsonObject named) {
            if (!(named.getValue("function") instanceof JsonObject fn)) {
                return "Invalid value for `function` in `tool_choice`!";
            }
            if (!(fn.getValue("name") instanceof String name) || name.isEmpty()) {
                return "Invalid `name` in `function` in `tool_choice`!";
            }
            boolean found = false;
            for (int i = 0; i < tools.size(); i++) {
                found |= name.equals(tools.getJsonObject(i).getJsonObject("function").getString("name"));
            }
            if (!found) {
                return "The tool specified in `tool_choice` does not match any of the specified `tools`";
            }
        }
        if (!toolParser) {
            if ("auto".equals(choice)) {
                return "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set";
            }
            return "tool_choice=" + (choice instanceof JsonObject named
                    ? "function \"" + named.getJsonObject("function").getString("name") + "\"" : "\"" + choice + "\"")
                    + " requires --tool-call-parser to be set";
        }
        return null;
    }

    /** Assistant {@code tool_calls} items are OpenAI's {@code ChatCompletionMessageToolCallParam} (all keys required). */
    private static String messages(JsonArray messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.getValue(i) instanceof JsonObject m)) {
                return "messages." + i + ": Input should be a valid dictionary";
            }
            Object calls = m.getValue("tool_calls");
            if (calls == null) {
                continue;
            }
            if (!(calls instanceof JsonArray list)) {
                return "messages." + i + ".tool_calls: Input should be a valid list";
            }
            for (int j = 0; j < list.size(); j++) {
                String at = "messages." + i + ".tool_calls." + j;
                if (!(list.getValue(j) instanceof JsonObject call)) {
                    return at + ": Input should be a valid dictionary";
                }
                if (!(call.getValue("id") instanceof String)) {
                    return at + ".id: Field required";
                }
                if (!"function".equals(call.getValue("type"))) {
                    return at + ".type: Input should be 'function'";
                }
                if (!(call.getValue("function") instanceof JsonObject fn)
                        || !(fn.getValue("name") instanceof String) || !(fn.getValue("arguments") instanceof String)) {
                    return at + ".function: name and arguments (strings) are required";
                }
            }
        }
        return null;
    }
}
