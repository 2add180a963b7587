package io.steerguard.api.responses;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import io.steerguard.api.CompletionRequest;
import io.steerguard.api.OpenAiError;
import io.steerguard.api.Operation;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.Tools;
import io.steerguard.steering.easysteer.EasySteerSpec;

/**
 * Parses {@code POST /v1/responses} bodies: the stateless subset, onto a chat {@link CompletionRequest}.
 * As on chat completions, unknown fields are ignored (SDKs add fields over time) and known fields
 * SteerGuard cannot honour are a 400 naming the field: state kept between requests
 * ({@code previous_response_id}, {@code store: true}, {@code conversation}), {@code background},
 * prompt templates, built-in tools ({@link ResponsesTools}), reasoning settings, logprob includes.
 */
final class ResponsesParser {

    /** The outcome of parsing one body. */
    sealed interface Result {
        record Valid(ResponsesRequest request) implements Result {
        }

        record Invalid(OpenAiError error) implements Result {
        }
    }

    /** Fields that ask for something SteerGuard does not do, with what to do instead. */
    private static final Map<String, String> REFUSED = refused();

    private final ObjectMapper mapper;
    private final int defaultMaxTokens;
    private final int maxTokensLimit;

    ResponsesParser(ObjectMapper mapper, int defaultMaxTokens, int maxTokensLimit) {
        this.mapper = mapper;
        this.defaultMaxTokens = defaultMaxTokens;
        this.maxTokensLimit = maxTokensLimit;
    }

    Result parse(byte[] body) {
        try {
            return new Result.Valid(request(root(body)));
        } catch (Json.Invalid e) {
            return new Result.Invalid(OpenAiError.invalidRequest(e.getMessage(), e.param()));
        }
    }

    private JsonNode root(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Json.Invalid("The request body is empty; expected a JSON object.", null);
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new Json.Invalid("The request body must be a JSON object.", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            int detail = reason.indexOf(" (start marker at");
            throw new Json.Invalid("The request body is not valid JSON: " + (detail > 0 ? reason.substring(0, detail)
                    : reason) + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ").", null);
        } catch (IOException e) {
            throw new Json.Invalid("The request body could not be read.", null);
        }
    }

    private ResponsesRequest request(JsonNode root) {
        JsonNode modelNode = root.get("model");
        if (!Json.present(modelNode)) {
            throw new Json.Invalid("Missing required parameter: 'model'.", "model");
        }
        String model = Json.string(modelNode, "model");
        refuseUnsupported(root);
        Prompt prompt = Prompt.chat(ResponsesInput.messages(root.get("instructions"), root.get("input")));
        Integer maxOutput = Json.present(root.get("max_output_tokens"))
                ? Json.integer(root.get("max_output_tokens"), "max_output_tokens", 1, maxTokensLimit) : null;
        double temperature = Json.present(root.get("temperature"))
                ? Json.number(root.get("temperature"), "temperature", 0, 2) : 1.0;
        double topP = Json.present(root.get("top_p")) ? Json.number(root.get("top_p"), "top_p", 0, 1) : 1.0;
        if (topP == 0) {
            throw new Json.Invalid("Invalid 'top_p': must be greater than 0 and at most 1.", "top_p");
        }
        boolean stream = Json.present(root.get("stream")) && Json.bool(root.get("stream"), "stream");
        if (Json.present(root.get("stream_options")) && !stream) {
            throw new Json.Invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        }
        textFormat(root.get("text"));
        Tools tools = ResponsesTools.read(mapper, root.get("tools"), root.get("tool_choice"),
                root.get("parallel_tool_calls"));
        SamplingParams sampling = new SamplingParams(maxOutput != null ? maxOutput : defaultMaxTokens, temperature,
                topP, 0, null, List.of(), false);
        // what the client set itself; the runtime's defaults (Runtime document, generation_config.json) fill the rest
        SamplingDefaults requested = new SamplingDefaults(Json.present(root.get("temperature")) ? temperature : null,
                Json.present(root.get("top_p")) ? topP : null, null);
        CompletionRequest completion = new CompletionRequest(Operation.RESPONSES, model, prompt, sampling, stream,
                true, profile(root.get("steering")), EasySteerSpec.none(), tools, requested);
        JsonNode instructions = root.get("instructions");
        return new ResponsesRequest(completion, Json.present(instructions) ? instructions.asText() : null,
                metadata(root.get("metadata")), maxOutput, temperature, topP,
                tools.parallelToolCalls() == null || tools.parallelToolCalls(),
                Json.present(root.get("tool_choice")) ? root.get("tool_choice") : TextNode.valueOf("auto"),
                Json.present(root.get("tools")) ? root.get("tools") : JsonNodeFactory.instance.arrayNode());
    }

    private static void refuseUnsupported(JsonNode root) {
        for (Map.Entry<String, String> field : REFUSED.entrySet()) {
            JsonNode v = root.get(field.getKey());
            boolean harmless = !Json.present(v) || v.isBoolean() && !v.asBoolean()
                    || v.isContainerNode() && v.isEmpty()
                    || "truncation".equals(field.getKey()) && "disabled".equals(v.asText())
                    || "top_logprobs".equals(field.getKey()) && v.isIntegralNumber() && v.asInt() == 0;
            if (!harmless) {
                throw new Json.Invalid("'" + field.getKey() + "' is not supported by SteerGuard: " + field.getValue(),
                        field.getKey());
            }
        }
    }

    private static Map<String, String> refused() {
        Map<String, String> m = new LinkedHashMap<>();
        String stateless = "the gateway keeps no responses; send the whole conversation in 'input'.";
        m.put("previous_response_id", stateless);
        m.put("store", stateless + " Send 'store': false or omit it.");
        m.put("conversation", stateless);
        m.put("background", "responses are served while the request is open; omit it or send false.");
        m.put("prompt", "stored prompt templates are not available; send the text in 'instructions' and 'input'.");
        m.put("reasoning", "the served models take no reasoning settings; omit it.");
        m.put("include", "no extra output data is available; omit it or send [].");
        m.put("top_logprobs", "token log-probabilities are not reported on this endpoint; omit it or send 0.");
        m.put("truncation", "the input is never truncated; omit it or send 'disabled'.");
        m.put("context_management", "the input is never compacted; omit it.");
        m.put("moderation", "moderated completions are not available; omit it.");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code text.format}: plain text only, as on chat completions (where JSON formats answer 400 too). */
    private static void textFormat(JsonNode text) {
        if (!Json.present(text)) {
            return;
        }
        if (!text.isObject()) {
            throw Json.wrongType("text", "an object", text);
        }
        JsonNode format = text.get("format");
        if (Json.present(format) && !"text".equals(format.path("type").asText())) {
            throw new Json.Invalid("'text.format' other than {\"type\": \"text\"} is not supported; use a "
                    + "JSON-format steering profile or prompt for JSON.", "text.format");
        }
        if (Json.present(text.get("verbosity"))) {
            throw new Json.Invalid("'text.verbosity' is not supported by SteerGuard: the served models take no "
                    + "verbosity setting; omit it.", "text.verbosity");
        }
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Json.present(metadata)) {
            return out;
        }
        if (!metadata.isObject()) {
            throw Json.wrongType("metadata", "an object", metadata);
        }
        if (metadata.size() > ResponsesRequest.MAX_METADATA_KEYS) {
            throw new Json.Invalid("Invalid 'metadata': too many properties. Expected at most "
                    + ResponsesRequest.MAX_METADATA_KEYS + ", but got " + metadata.size() + ".", "metadata");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = metadata.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.length() > ResponsesRequest.MAX_METADATA_KEY_CHARS) {
                throw new Json.Invalid("Invalid 'metadata': keys may be at most "
                        + ResponsesRequest.MAX_METADATA_KEY_CHARS + " characters long.", "metadata");
            }
            String value = Json.string(field.getValue(), "metadata." + key);
            if (value.length() > ResponsesRequest.MAX_METADATA_VALUE_CHARS) {
                throw new Json.Invalid("Invalid 'metadata." + key + "': values may be at most "
                        + ResponsesRequest.MAX_METADATA_VALUE_CHARS + " characters long.", "metadata." + key);
            }
            out.put(key, value);
        }
        return out;
    }

    /** SteerGuard's {@code steering: {"profile": ...}}, read exactly as on chat completions. */
    private static String profile(JsonNode steering) {
        if (!Json.present(steering)) {
            return null;
        }
        if (!steering.isObject()) {
            throw new Json.Invalid("'steering' must be an object like {\"profile\": \"json-format\"}.", "steering");
        }
        Iterator<String> names = steering.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!"profile".equals(name)) {
                throw new Json.Invalid("'steering." + name + "' is not accepted: vectors cannot be set per request; "
                        + "select a configured profile with 'steering.profile'.", "steering." + name);
            }
        }
        JsonNode profile = steering.get("profile");
        if (!Json.present(profile)) {
            return null;
        }
        if (!profile.isTextual() || profile.asText().isEmpty()) {
            throw new Json.Invalid("'steering.profile' must be a non-empty string.", "steering.profile");
        }
        return profile.asText();
    }
}
