package io.steerguard.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.Tools;
import io.steerguard.steering.easysteer.EasySteerLimits;
import io.steerguard.steering.easysteer.EasySteerSpec;
import io.steerguard.steering.easysteer.EasySteerSteering;

/**
 * Parses and validates OpenAI request bodies into {@link CompletionRequest}s, with OpenAI-style
 * messages that name the offending parameter. Unknown fields are ignored (SDKs add fields over
 * time); known fields that SteerGuard cannot honour are rejected rather than silently dropped.
 */
public final class RequestParser {

    /** The outcome of parsing one body. */
    public sealed interface Result {
        record Valid(CompletionRequest request) implements Result {
        }

        record Invalid(OpenAiError error) implements Result {
        }
    }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    /** How the {@code steering} field reads. */
    public enum SteeringField {
        /** Gateway mode: {@code {"profile": "name"}}; vectors cannot be set per request. */
        PROFILE,
        /** Runtime mode: EasySteer's object (or absent/null/false for none), read by {@link EasySteerSteering}. */
        EASYSTEER
    }

    private final ObjectMapper mapper;
    private final int defaultMaxTokens;
    private final int maxTokensLimit;
    private final SteeringField steeringField;
    private final EasySteerLimits steeringLimits;

    public RequestParser(ObjectMapper mapper, int defaultMaxTokens, int maxTokensLimit) {
        this(mapper, defaultMaxTokens, maxTokensLimit, SteeringField.PROFILE, EasySteerLimits.lenient());
    }

    /**
     * @param steeringLimits runtime mode's bounds on an EasySteer {@code steering} object (unused for
     *                       {@link SteeringField#PROFILE})
     */
    public RequestParser(ObjectMapper mapper, int defaultMaxTokens, int maxTokensLimit, SteeringField steeringField,
                         EasySteerLimits steeringLimits) {
        this.mapper = mapper;
        this.defaultMaxTokens = defaultMaxTokens;
        this.maxTokensLimit = maxTokensLimit;
        this.steeringField = steeringField;
        this.steeringLimits = steeringLimits;
    }

    public Result parse(Operation operation, byte[] body) {
        try {
            JsonNode root = parseJson(body);
            return new Result.Valid(operation == Operation.CHAT ? chat(root) : completion(root));
        } catch (Invalid e) {
            return new Result.Invalid(OpenAiError.invalidRequest(e.getMessage(), e.param));
        }
    }

    private JsonNode parseJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Invalid("The request body is empty; expected a JSON object.", null);
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new Invalid("The request body must be a JSON object.", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            int detail = reason.indexOf(" (start marker at");
            throw new Invalid("The request body is not valid JSON: " + (detail > 0 ? reason.substring(0, detail) : reason)
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").", null);
        } catch (IOException e) {
            throw new Invalid("The request body could not be read.", null);
        }
    }

    private CompletionRequest chat(JsonNode root) {
        String model = requiredString(root, "model");
        JsonNode messagesNode = root.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw new Invalid("Missing required parameter: 'messages'.", "messages");
        }
        if (!messagesNode.isArray() || messagesNode.isEmpty()) {
            throw new Invalid("'messages' must be a non-empty array.", "messages");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
        }
        rejectUnsupported(root, Operation.CHAT);
        CompletionRequest request = common(root, Operation.CHAT, model, Prompt.chat(messages));
        Tools tools = ToolFields.tools(root);
        return tools.isNone() ? request : new CompletionRequest(request.operation(), request.model(), request.prompt(),
                request.sampling(), request.stream(), request.includeUsage(), request.profile(), request.steering(), tools,
                request.requested());
    }

    private CompletionRequest completion(JsonNode root) {
        String model = requiredString(root, "model");
        JsonNode p = root.get("prompt");
        Prompt prompt;
        if (p == null || p.isNull()) {
            throw new Invalid("Missing required parameter: 'prompt'.", "prompt");
        } else if (p.isTextual()) {
            prompt = Prompt.text(p.asText());
        } else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            prompt = Prompt.text(p.get(0).asText());
        } else if (p.isArray() && !p.isEmpty() && allInts(p)) {
            int[] ids = new int[p.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = p.get(i).asInt();
            }
            prompt = new Prompt.Tokens(ids);
        } else {
            throw new Invalid("'prompt' must be a string, a one-element array of strings, or an array of token "
                    + "ids; batched prompts are not supported.", "prompt");
        }
        for (String field : List.of("suffix", "echo", "best_of")) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean()) && !(v.isInt() && v.asInt() == 1)) {
                throw new Invalid("'" + field + "' is not supported by SteerGuard.", field);
            }
        }
        rejectUnsupported(root, Operation.TEXT_COMPLETION);
        return common(root, Operation.TEXT_COMPLETION, model, prompt);
    }

    private CompletionRequest common(JsonNode root, Operation op, String model, Prompt prompt) {
        int maxTokens = defaultMaxTokens;
        String maxField = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        if (root.hasNonNull(maxField)) {
            maxTokens = integer(root, maxField, 1, maxTokensLimit);
        }
        double temperature = root.hasNonNull("temperature") ? number(root, "temperature", 0, 2) : 1.0;
        double topP = root.hasNonNull("top_p") ? number(root, "top_p", 0, 1) : 1.0;
        if (topP == 0) {
            throw new Invalid("Invalid 'top_p': must be greater than 0 and at most 1.", "top_p");
        }
        int topK = root.hasNonNull("top_k") ? integer(root, "top_k", -1, 1_000_000) : 0;
        Long seed = root.hasNonNull("seed") ? (long) integerLong(root, "seed") : null;
        int n = root.hasNonNull("n") ? integer(root, "n", 1, SamplingParams.MAX_CHOICES) : 1;
        double presence = root.hasNonNull("presence_penalty") ? number(root, "presence_penalty", -2, 2) : 0;
        double frequency = root.hasNonNull("frequency_penalty") ? number(root, "frequency_penalty", -2, 2) : 0;
        boolean stream = root.hasNonNull("stream") && bool(root, "stream");
        boolean includeUsage = false;
        JsonNode so = root.get("stream_options");
        if (so != null && !so.isNull()) {
            if (!stream) {
                throw new Invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
            }
            if (!so.isObject()) {
                throw new Invalid("'stream_options' must be an object.", "stream_options");
            }
            includeUsage = so.hasNonNull("include_usage") && bool(so, "include_usage");
        }
        boolean logprobs = root.hasNonNull("logprobs") && (op == Operation.CHAT ? bool(root, "logprobs")
                : integer(root, "logprobs", 0, 5) > 0);
        SamplingParams sampling = new SamplingParams(maxTokens, temperature, topP, Math.max(0, topK), seed,
                stop(root), logprobs, n, presence, frequency, logitBias(root));
        // what the client set itself; the runtime's defaults fill the rest (CompletionRequest#samplingFor)
        SamplingDefaults requested = new SamplingDefaults(root.hasNonNull("temperature") ? temperature : null,
                root.hasNonNull("top_p") ? topP : null, root.hasNonNull("top_k") ? Math.max(0, topK) : null);
        if (steeringField == SteeringField.EASYSTEER) {
            return new CompletionRequest(op, model, prompt, sampling, stream, includeUsage, null,
                    easySteer(root.get("steering")), requested);
        }
        return new CompletionRequest(op, model, prompt, sampling, stream, includeUsage, profile(root), requested);
    }

    private EasySteerSpec easySteer(JsonNode steering) {
        EasySteerSteering.Result result = EasySteerSteering.parse(steering, steeringLimits);
        if (result instanceof EasySteerSteering.Result.Invalid invalid) {
            throw new Invalid(invalid.message(), invalid.param());
        }
        return ((EasySteerSteering.Result.Parsed) result).spec();
    }

    private String profile(JsonNode root) {
        JsonNode steering = root.get("steering");
        if (steering == null || steering.isNull()) {
            return null;
        }
        if (!steering.isObject()) {
            throw new Invalid("'steering' must be an object like {\"profile\": \"json-format\"}.", "steering");
        }
        Iterator<String> names = steering.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!"profile".equals(name)) {
                throw new Invalid("'steering." + name + "' is not accepted: vectors cannot be set per request; "
                        + "select a configured profile with 'steering.profile'.", "steering." + name);
            }
        }
        JsonNode profile = steering.get("profile");
        if (profile == null || profile.isNull()) {
            return null;
        }
        if (!profile.isTextual() || profile.asText().isEmpty()) {
            throw new Invalid("'steering.profile' must be a non-empty string.", "steering.profile");
        }
        return profile.asText();
    }

    private List<String> stop(JsonNode root) {
        JsonNode stop = root.get("stop");
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            if (stop.asText().isEmpty()) {
                throw new Invalid("Invalid 'stop': stop sequences must not be empty.", "stop");
            }
            return List.of(boundedStop(stop.asText()));
        }
        if (!stop.isArray() || stop.size() > SamplingParams.MAX_STOP_SEQUENCES) {
            throw new Invalid("Invalid 'stop': expected a string or an array of at most 4 strings.", "stop");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isTextual() || s.asText().isEmpty()) {
                throw new Invalid("Invalid 'stop': every stop sequence must be a non-empty string.", "stop");
            }
            out.add(boundedStop(s.asText()));
        }
        return out;
    }

    private static String boundedStop(String stop) {
        if (stop.length() > SamplingParams.MAX_STOP_CHARS) {
            throw new Invalid("Invalid 'stop': each stop sequence may be at most " + SamplingParams.MAX_STOP_CHARS
                    + " characters long.", "stop");
        }
        return stop;
    }

    private ChatMessage message(JsonNode m, String path) {
        if (m == null || !m.isObject()) {
            throw new Invalid("'" + path + "' must be an object with 'role' and 'content'.", path);
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw new Invalid("Invalid '" + path + ".role': expected one of system, developer, user, assistant, "
                    + "tool.", path + ".role");
        }
        String r = role.asText();
        if ("assistant".equals(r) && m.hasNonNull("tool_calls")) {
            List<ToolCall> calls = ToolFields.historyCalls(m.get("tool_calls"), path + ".tool_calls");
            // OpenAI: an assistant turn that calls tools may have null or absent content
            String text = m.hasNonNull("content") ? content(m.get("content"), path + ".content") : "";
            return ChatMessage.assistantCalls(text, calls);
        }
        if (m.hasNonNull("tool_calls")) {
            throw new Invalid("Invalid '" + path + ".tool_calls': only assistant messages carry tool calls.",
                    path + ".tool_calls");
        }
        if ("tool".equals(r)) {
            JsonNode id = m.get("tool_call_id");
            if (id == null || id.isNull()) {
                throw new Invalid("Missing required parameter: '" + path + ".tool_call_id'.", path + ".tool_call_id");
            }
            if (!id.isTextual()) {
                throw new Invalid("Invalid type for '" + path + ".tool_call_id': expected a string, but got "
                        + typeName(id) + " instead.", path + ".tool_call_id");
            }
            return ChatMessage.tool(id.asText(), content(m.get("content"), path + ".content"));
        }
        return new ChatMessage(r, content(m.get("content"), path + ".content"));
    }

    private String content(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw new Invalid("Missing required parameter: '" + path + "'.", path);
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new Invalid("Invalid '" + path + "[" + i + "]': only text content parts "
                            + "({\"type\": \"text\", \"text\": ...}) are supported.", path + "[" + i + "]");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new Invalid("Invalid '" + path + "': expected a string or an array of text parts.", path);
    }

    private void rejectUnsupported(JsonNode root, Operation op) {
        if (op == Operation.CHAT) {
            for (String legacy : List.of("functions", "function_call")) {
                if (root.hasNonNull(legacy)) {
                    throw new Invalid("'" + legacy + "' is deprecated and not supported by SteerGuard; use 'tools' and "
                            + "'tool_choice'.", legacy);
                }
            }
            JsonNode rf = root.get("response_format");
            if (rf != null && !rf.isNull() && !"text".equals(rf.path("type").asText())) {
                throw new Invalid("'response_format' other than {\"type\": \"text\"} is not supported; use a "
                        + "JSON-format steering profile or prompt for JSON.", "response_format");
            }
            if (root.hasNonNull("top_logprobs") && integer(root, "top_logprobs", 0, 20) > 0) {
                throw new Invalid("'top_logprobs' is not supported; 'logprobs': true reports the chosen tokens.",
                        "top_logprobs");
            }
            // known fields that ask for output SteerGuard cannot produce: refused, never silently dropped
            JsonNode modalities = root.get("modalities");
            if (modalities != null && !modalities.isNull()) {
                for (JsonNode m : modalities) {
                    if (!"text".equals(m.asText())) {
                        throw new Invalid("'modalities' other than [\"text\"] are not supported: SteerGuard runtimes "
                                + "produce text only.", "modalities");
                    }
                }
            }
            if (root.path("store").asBoolean(false)) {
                throw new Invalid("'store': true is not supported: the gateway keeps no completions; omit it or send "
                        + "false.", "store");
            }
            for (String field : List.of("audio", "prediction", "web_search_options")) {
                if (root.hasNonNull(field)) {
                    throw new Invalid("'" + field + "' is not supported by SteerGuard runtimes.", field);
                }
            }
        }
    }

    /**
     * {@code logit_bias}: an object from token ids (JSON keys are strings, so {@code "50256"}) to biases
     * within [-100, 100]. OpenAI rejects values outside that range; so does SteerGuard rather than clamp.
     */
    private static Map<Integer, Double> logitBias(JsonNode root) {
        JsonNode lb = root.get("logit_bias");
        if (lb == null || lb.isNull()) {
            return Map.of();
        }
        if (!lb.isObject()) {
            throw new Invalid("Invalid type for 'logit_bias': expected an object, but got " + typeName(lb)
                    + " instead.", "logit_bias");
        }
        if (lb.size() > SamplingParams.MAX_LOGIT_BIAS) {
            throw new Invalid("Invalid 'logit_bias': at most " + SamplingParams.MAX_LOGIT_BIAS + " entries are allowed.",
                    "logit_bias");
        }
        Map<Integer, Double> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = lb.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            int token;
            try {
                token = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                token = -1;
            }
            if (token < 0 || !e.getKey().equals(Integer.toString(token))) {
                throw new Invalid("Invalid 'logit_bias': key '" + (e.getKey().length() > 40 ? e.getKey().substring(0, 40) + "..." : e.getKey())
                        + "' is not a token id (a non-negative integer).", "logit_bias");
            }
            JsonNode v = e.getValue();
            if (!v.isNumber() || !(v.asDouble() >= -100 && v.asDouble() <= 100)) {
                throw new Invalid("Invalid 'logit_bias': the bias of token " + token
                        + " must be a number within [-100, 100].", "logit_bias");
            }
            out.put(token, v.asDouble());
        }
        return out;
    }

    private static boolean allInts(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isInt() || n.asInt() < 0) {
                return false;
            }
        }
        return true;
    }

    static String requiredStringAt(JsonNode root, String field, String path) {
        try {
            return requiredString(root, field);
        } catch (Invalid e) {
            throw new Invalid(e.getMessage().replace("'" + field + "'", "'" + path + "'"), path);
        }
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new Invalid("Missing required parameter: '" + field + "'.", field);
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new Invalid("Invalid type for '" + field + "': expected a non-empty string, but got "
                    + typeName(v) + " instead.", field);
        }
        return v.asText();
    }

    private static double number(JsonNode root, String field, double min, double max) {
        JsonNode v = root.get(field);
        if (!v.isNumber()) {
            throw new Invalid("Invalid type for '" + field + "': expected a number, but got " + typeName(v)
                    + " instead.", field);
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw new Invalid("Invalid '" + field + "': " + v + " is not within [" + fmt(min) + ", " + fmt(max)
                    + "].", field);
        }
        return d;
    }

    private static int integer(JsonNode root, String field, int min, int max) {
        JsonNode v = root.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new Invalid("Invalid type for '" + field + "': expected an integer, but got " + typeName(v)
                    + " instead.", field);
        }
        int i = v.asInt();
        if (i < min || i > max) {
            throw new Invalid("Invalid '" + field + "': " + i + " is not within [" + min + ", " + max + "].", field);
        }
        return i;
    }

    private static long integerLong(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Invalid("Invalid type for '" + field + "': expected an integer, but got " + typeName(v)
                    + " instead.", field);
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (!v.isBoolean()) {
            throw new Invalid("Invalid type for '" + field + "': expected a boolean, but got " + typeName(v)
                    + " instead.", field);
        }
        return v.asBoolean();
    }

    /** How OpenAI names a JSON value's type in its error messages ("a string", "an object", …). */
    public static String typeName(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "null";
        };
    }

    /** A bound as OpenAI prints it: whole numbers without a decimal point. */
    public static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A validation failure inside the parser; converted to {@link Result.Invalid} at the boundary. */
    static final class Invalid extends RuntimeException {
        private final String param;

        /** @param param the offending parameter's path, or {@code null} */
        Invalid(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }
}
