package io.steerguard.steering.easysteer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;

/**
 * Reads EasySteer's per-request {@code steering} field into an {@link EasySteerSpec}, for SteerGuard's
 * own runtime mode, which serves EasySteer's documented request shape so that clients written for
 * EasySteer (and a gateway's {@code easysteer} runtime) work unchanged.
 *
 * <p>The shape and defaults are those of EasySteer's request model at EasySteer-vllm-v1 commit
 * {@code 6267ca0c} ({@code vllm/steer_vectors/api.py}): {@code vectors} (required, non-empty) and
 * {@code conflict} (default {@code priority}); per vector {@code source} or {@code data},
 * {@code algorithm} (default {@code direct}), {@code scale} (default 1), {@code layers} (optional: the
 * file decides), {@code normalize} (default false), {@code apply} (required), {@code params},
 * {@code name}. Unknown keys are errors, as there. Where the embedded runtime cannot do what a field
 * asks, the answer is a 400 naming the field rather than an approximation:
 * <ul>
 *   <li>{@code algorithm}: {@code direct} (add {@code scale * v}) and {@code erase} (ablate the
 *       direction) only; {@code params} must be empty, as EasySteer requires for both.</li>
 *   <li>{@code apply}: the prompt as a whole ({@code "prompt": "all"} or {@code prompt_window [0, null]})
 *       and generation from step 0 ({@code "generation": "all"}, {@code generation_window [0, null]}
 *       or {@code [0, k]}, {@code generation_positions [0, 1, .., k-1]}) map to the runtime's
 *       positions all / prompt / generated / first-k. Single prompt positions, other windows, token
 *       filters and exclusions are refused, naming the selector, and so is the prompt together with
 *       only the first k generated tokens.</li>
 *   <li>{@code normalize: true} (EasySteer rescales each steered row to its original norm) is refused:
 *       the embedded runtime has no such step.</li>
 *   <li>{@code data}: EasySteer's payload wire dict of kind {@code direction}
 *       ({@code {"version": 1, "kind": "direction", "tensors": {"layer.N": {"shape": [H], "data":
 *       "<base64 little-endian float32>"}}, "extra": {}, "sha256": ".."}}); its {@code sha256} is not
 *       trusted, the runtime hashes the content itself.</li>
 * </ul>
 * {@code scale}, the number of vectors and the number of layers are bounded by {@link EasySteerLimits}.
 * {@code null} or an absent field is unsteered; {@code false} is accepted as unsteered too, for
 * gateways older than the fix that stopped sending it (EasySteer itself rejects it).
 */
public final class EasySteerSteering {

    /** The outcome of reading one {@code steering} field. */
    public sealed interface Result {
        /** A well-formed field; file vectors are not loaded yet. */
        record Parsed(EasySteerSpec spec) implements Result {
        }

        /** A malformed or unservable field: an OpenAI-style message and the offending parameter path. */
        record Invalid(String message, String param) implements Result {
        }
    }

    private static final Set<String> STEERING_KEYS = Set.of("vectors", "conflict");
    private static final Set<String> VECTOR_KEYS = Set.of("source", "data", "algorithm", "scale", "layers",
            "normalize", "apply", "params", "name");
    private static final Set<String> APPLY_KEYS = Set.of("prompt", "generation", "prompt_tokens", "prompt_positions",
            "prompt_window", "generation_tokens", "generation_positions", "generation_window",
            "exclude_prompt_tokens", "exclude_prompt_positions", "exclude_prompt_window",
            "exclude_generation_tokens", "exclude_generation_positions", "exclude_generation_window");
    private static final Set<String> WIRE_KEYS = Set.of("version", "kind", "tensors", "extra", "sha256");

    private EasySteerSteering() {
    }

    /** Reads the field without bounds (tools and tests). */
    public static Result parse(JsonNode field) {
        return parse(field, EasySteerLimits.lenient());
    }

    /** Reads the {@code steering} field; {@code field} is {@code null} when the request has none. */
    public static Result parse(JsonNode field, EasySteerLimits limits) {
        try {
            return new Result.Parsed(spec(field, limits));
        } catch (Bad e) {
            return new Result.Invalid(e.getMessage(), e.param);
        }
    }

    private static EasySteerSpec spec(JsonNode field, EasySteerLimits limits) {
        if (field == null || field.isNull() || (field.isBoolean() && !field.asBoolean())) {
            return EasySteerSpec.none();
        }
        if (!field.isObject()) {
            throw new Bad("'steering' must be an object like {\"vectors\": [{\"source\": \"x.gguf\", \"scale\": 4,"
                    + " \"apply\": {\"prompt\": \"all\", \"generation\": \"all\"}}]}, or absent for no steering.",
                    "steering");
        }
        rejectUnknown(field, STEERING_KEYS, "steering");
        JsonNode vectors = field.get("vectors");
        if (vectors == null || vectors.isNull()) {
            throw new Bad("Missing required parameter: 'steering.vectors'.", "steering.vectors");
        }
        if (!vectors.isArray() || vectors.isEmpty()) {
            throw new Bad("'steering.vectors' must be a non-empty array.", "steering.vectors");
        }
        if (vectors.size() > limits.maxVectors()) {
            throw new Bad("'steering.vectors' has " + vectors.size() + " vectors; this runtime accepts at most "
                    + limits.maxVectors() + ".", "steering.vectors");
        }
        EasySteerSpec.Conflict conflict = EasySteerSpec.Conflict.PRIORITY;
        JsonNode c = field.get("conflict");
        if (c != null && !c.isNull()) {
            conflict = switch (c.isTextual() ? c.asText() : "") {
                case "priority" -> EasySteerSpec.Conflict.PRIORITY;
                case "sequential" -> EasySteerSpec.Conflict.SEQUENTIAL;
                case "error" -> EasySteerSpec.Conflict.ERROR;
                default -> throw new Bad("Invalid 'steering.conflict': expected \"priority\", \"sequential\" or \"error\".",
                        "steering.conflict");
            };
        }
        List<EasySteerSpec.Vector> out = new ArrayList<>();
        int layerCount = 0;
        for (int i = 0; i < vectors.size(); i++) {
            EasySteerSpec.Vector v = vector(vectors.get(i), "steering.vectors[" + i + "]", limits);
            layerCount += v.layers().map(List::size).orElse(0);
            if (layerCount > limits.maxLayers()) {
                throw new Bad("'steering.vectors[" + i + "].layers': the request steers more than " + limits.maxLayers()
                        + " layers in all, the most this runtime accepts.", "steering.vectors[" + i + "].layers");
            }
            out.add(v);
        }
        return new EasySteerSpec(out, conflict);
    }

    private static EasySteerSpec.Vector vector(JsonNode v, String path, EasySteerLimits limits) {
        if (v == null || !v.isObject()) {
            throw new Bad("'" + path + "' must be an object.", path);
        }
        rejectUnknown(v, VECTOR_KEYS, path);
        SteeringOperator operator = operator(v.get("algorithm"), path + ".algorithm");
        JsonNode params = v.get("params");
        if (params != null && !params.isNull() && !(params.isObject() && params.isEmpty())) {
            throw new Bad("Invalid '" + path + ".params': algorithms direct and erase take no params.", path + ".params");
        }
        JsonNode name = v.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new Bad("'" + path + ".name' must be a string.", path + ".name");
        }
        double scale = 1.0;
        JsonNode s = v.get("scale");
        if (s != null && !s.isNull()) {
            if (!s.isNumber() || !Double.isFinite(s.asDouble())) {
                throw new Bad("Invalid '" + path + ".scale': expected a finite number.", path + ".scale");
            }
            scale = s.asDouble();
            if (Math.abs(scale) > limits.maxScale()) {
                throw new Bad("Invalid '" + path + ".scale': |" + scale + "| exceeds " + limits.maxScale()
                        + ", the largest scale this runtime accepts.", path + ".scale");
            }
        }
        JsonNode normalize = v.get("normalize");
        if (normalize != null && !normalize.isNull() && !(normalize.isBoolean() && !normalize.asBoolean())) {
            throw new Bad("'" + path + ".normalize' must be false: this runtime does not rescale steered states"
                    + " back to their norm.", path + ".normalize");
        }
        Optional<List<Integer>> layers = layers(v.get("layers"), path + ".layers", limits);
        SteeringPositions positions = ApplyClause.positions(v.get("apply"), path + ".apply");
        JsonNode source = v.get("source");
        JsonNode data = v.get("data");
        boolean hasSource = source != null && !source.isNull();
        boolean hasData = data != null && !data.isNull();
        if (hasSource && hasData) {
            throw new Bad("'" + path + "': source and data are mutually exclusive.", path + ".data");
        }
        String label = name == null || name.isNull() ? null : name.asText();
        if (hasData) {
            return new EasySteerSpec.Vector(null, inline(data, path + ".data"), layers, operator, scale, positions,
                    label);
        }
        if (!hasSource || !source.isTextual() || source.asText().isBlank()) {
            throw new Bad("'" + path + ".source' must be a vector file path (or send 'data').", path + ".source");
        }
        return new EasySteerSpec.Vector(source.asText(), Map.of(), layers, operator, scale, positions, label);
    }

    private static SteeringOperator operator(JsonNode algorithm, String param) {
        if (algorithm == null || algorithm.isNull()) {
            return SteeringOperator.ADD;
        }
        if (algorithm.isTextual() && algorithm.asText().equals("direct")) {
            return SteeringOperator.ADD;
        }
        if (algorithm.isTextual() && algorithm.asText().equals("erase")) {
            return SteeringOperator.ABLATE;
        }
        throw new Bad("Invalid '" + param + "': this runtime serves \"direct\" (the default) and \"erase\".", param);
    }

    private static Optional<List<Integer>> layers(JsonNode layers, String path, EasySteerLimits limits) {
        if (layers == null || layers.isNull()) {
            return Optional.empty();
        }
        if (!layers.isArray() || layers.isEmpty()) {
            throw new Bad("'" + path + "' must be a non-empty array of decoder-layer indices, or absent to use"
                    + " every layer of the file.", path);
        }
        if (layers.size() > limits.maxLayers()) {
            throw new Bad("'" + path + "' lists " + layers.size() + " layers; this runtime accepts at most "
                    + limits.maxLayers() + ".", path);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode l : layers) {
            if (!l.isIntegralNumber() || !l.canConvertToInt() || l.asInt() < 0 || out.contains(l.asInt())) {
                throw new Bad("Invalid '" + path + "': layers are distinct integers >= 0.", path);
            }
            out.add(l.asInt());
        }
        return Optional.of(out);
    }

    /** An inline {@code direction} payload's vectors by layer. */
    private static Map<Integer, float[]> inline(JsonNode data, String path) {
        if (!data.isObject()) {
            throw new Bad("'" + path + "' must be a payload wire dict {\"version\": 1, \"kind\": \"direction\","
                    + " \"tensors\": {...}, \"extra\": {}, \"sha256\": \"..\"}.", path);
        }
        rejectUnknown(data, WIRE_KEYS, path);
        for (String key : WIRE_KEYS) {
            if (!data.has(key)) {
                throw new Bad("'" + path + "' is missing '" + key + "'.", path + "." + key);
            }
        }
        if (!data.get("version").isIntegralNumber() || data.get("version").asInt() != 1) {
            throw new Bad("Invalid '" + path + ".version': this runtime reads payload wire version 1.", path + ".version");
        }
        if (!"direction".equals(data.get("kind").asText())) {
            throw new Bad("Invalid '" + path + ".kind': algorithms direct and erase take a \"direction\" payload.",
                    path + ".kind");
        }
        JsonNode tensors = data.get("tensors");
        if (!tensors.isObject() || tensors.isEmpty()) {
            throw new Bad("'" + path + ".tensors' must map \"layer.N\" to {\"shape\": [H], \"data\": \"<base64>\"}.",
                    path + ".tensors");
        }
        Map<Integer, float[]> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = tensors.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> t = it.next();
            String tp = path + ".tensors." + t.getKey();
            String suffix = t.getKey().startsWith("layer.") ? t.getKey().substring(6) : "";
            if (suffix.isEmpty() || suffix.length() > 6 || !suffix.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new Bad("Invalid '" + tp + "': direction tensors are named layer.N.", tp);
            }
            JsonNode shape = t.getValue().get("shape");
            JsonNode bytes = t.getValue().get("data");
            if (shape == null || !shape.isArray() || shape.size() != 1 || !shape.get(0).canConvertToInt()
                    || bytes == null || !bytes.isTextual()) {
                throw new Bad("Invalid '" + tp + "': expected {\"shape\": [H], \"data\": \"<base64 float32>\"}.", tp);
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(bytes.asText());
            } catch (IllegalArgumentException e) {
                throw new Bad("Invalid '" + tp + ".data': not base64.", tp + ".data");
            }
            int h = shape.get(0).asInt();
            if (h < 1 || raw.length != 4L * h) {
                throw new Bad("Invalid '" + tp + "': " + raw.length + " bytes do not hold " + h + " float32 values.", tp);
            }
            float[] v = new float[h];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            out.put(Integer.parseInt(suffix), v);
        }
        return out;
    }

    static void rejectUnknown(JsonNode object, Set<String> known, String path) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new Bad("'" + path + "." + name + "' is not a field EasySteer's request model defines.",
                        path + "." + name);
            }
        }
    }

    /** A validation failure inside the reader; converted to {@link Result.Invalid} at the boundary. */
    static final class Bad extends RuntimeException {
        final String param;

        Bad(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }

    /** EasySteer's {@code apply} clause mapped onto the embedded runtime's positions. */
    static final class ApplyClause {

        private ApplyClause() {
        }

        static SteeringPositions positions(JsonNode apply, String path) {
            if (apply == null || apply.isNull()) {
                throw new Bad("Missing required parameter: '" + path + "' (e.g. {\"prompt\": \"all\", \"generation\": \"all\"}).",
                        path);
            }
            if (!apply.isObject()) {
                throw new Bad("'" + path + "' must be an object.", path);
            }
            rejectUnknown(apply, APPLY_KEYS, path);
            boolean prompt = false;
            long generationStop = -1; // -1: no generation; Long.MAX_VALUE: all of it; else the first k steps
            Iterator<Map.Entry<String, JsonNode>> it = apply.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                String key = f.getKey();
                JsonNode value = f.getValue();
                String param = path + "." + key;
                if (value.isNull()) {
                    continue;
                }
                switch (key) {
                    case "prompt" -> prompt |= all(value, param);
                    case "generation" -> generationStop = all(value, param) ? Long.MAX_VALUE : generationStop;
                    case "prompt_window" -> {
                        long[] w = window(value, param);
                        if (w[0] != 0 || w[1] != Long.MAX_VALUE) {
                            throw unsupported(param, "only the whole prompt, [0, null], can be selected");
                        }
                        prompt = true;
                    }
                    case "generation_window" -> {
                        long[] w = window(value, param);
                        if (w[0] != 0 || w[1] <= 0) {
                            throw unsupported(param, "only windows starting at step 0, [0, k] or [0, null], can be selected");
                        }
                        generationStop = Math.max(generationStop, w[1]);
                    }
                    case "generation_positions" -> generationStop = Math.max(generationStop, firstSteps(value, param));
                    default -> throw unsupported(param, "this runtime steers whole phases or the first k generated"
                            + " tokens; single prompt positions, token filters and exclusions are not implemented");
                }
            }
            if (!prompt && generationStop < 0) {
                throw new Bad("Invalid '" + path + "': the clause selects nothing; set \"prompt\": \"all\" and/or"
                        + " \"generation\": \"all\".", path);
            }
            if (prompt && generationStop == Long.MAX_VALUE) {
                return SteeringPositions.ALL;
            }
            if (prompt && generationStop < 0) {
                return new SteeringPositions(SteeringPositions.Mode.PROMPT, 0);
            }
            if (prompt) {
                throw unsupported(path, "the whole prompt together with only the first generated tokens cannot be"
                        + " steered by one vector here; send two vectors");
            }
            if (generationStop == Long.MAX_VALUE) {
                return new SteeringPositions(SteeringPositions.Mode.GENERATED, 0);
            }
            if (generationStop > Integer.MAX_VALUE) {
                throw unsupported(path, "the generation window is too long");
            }
            return SteeringPositions.firstK((int) generationStop);
        }

        private static boolean all(JsonNode value, String param) {
            if (!value.isTextual() || !value.asText().equals("all")) {
                throw new Bad("Invalid '" + param + "': expected \"all\".", param);
            }
            return true;
        }

        /** A half-open window {@code [start, stop)}; a null stop reads as unbounded. */
        private static long[] window(JsonNode value, String param) {
            if (!value.isArray() || value.size() != 2 || !value.get(0).isIntegralNumber()
                    || !(value.get(1).isNull() || value.get(1).isIntegralNumber())) {
                throw new Bad("Invalid '" + param + "': a window is [start, stop] with stop an integer or null.", param);
            }
            return new long[]{value.get(0).asLong(), value.get(1).isNull() ? Long.MAX_VALUE : value.get(1).asLong()};
        }

        /** {@code [0, 1, .., k-1]} in any order: the first k steps; returns k. */
        private static long firstSteps(JsonNode value, String param) {
            if (!value.isArray() || value.isEmpty()) {
                throw new Bad("Invalid '" + param + "': expected a non-empty array of decode steps.", param);
            }
            java.util.TreeSet<Long> steps = new java.util.TreeSet<>();
            for (JsonNode n : value) {
                if (!n.isIntegralNumber() || n.asLong() < 0) {
                    throw new Bad("Invalid '" + param + "': decode steps are integers >= 0.", param);
                }
                steps.add(n.asLong());
            }
            if (steps.first() != 0 || steps.last() != steps.size() - 1) {
                throw unsupported(param, "only the first k steps, [0, 1, .., k-1], can be selected");
            }
            return steps.size();
        }

        private static Bad unsupported(String param, String why) {
            return new Bad("'" + param + "' cannot be honoured by this runtime: " + why + ".", param);
        }
    }
}
