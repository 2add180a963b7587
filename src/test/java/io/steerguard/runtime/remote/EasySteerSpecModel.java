package io.steerguard.runtime.remote;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The validation EasySteer's server applies to a request's {@code steering} field, written from the
 * rules of its request model at EasySteer-vllm-v1 commit {@code 6267ca0c} ({@code vllm/steer_vectors/api.py}:
 * {@code SteeringSpec}, {@code VectorSpec}, {@code ApplySpec}/{@code SelectSpec}; the field is declared
 * {@code steering: SteeringSpec | None} in {@code vllm/entrypoints/openai/chat_completion/protocol.py}
 * and {@code completion/protocol.py}). Our own code, not a port: it enforces the same rules, with
 * pydantic's lax coercions where a client could plausibly rely on them.
 *
 * <p>What it enforces: every level forbids unknown keys ({@code extra="forbid"}); {@code steering} is
 * an object or {@code null} ({@code false} fails: "Input should be a valid dictionary or instance of
 * SteeringSpec"); {@code vectors} required and non-empty; {@code conflict} one of priority, sequential,
 * error; each vector needs {@code apply}, and an apply clause must select something; {@code algorithm}
 * defaults to direct; {@code layers} null or a non-empty list of integers; {@code params} only keys the
 * algorithm allows (none for direct/erase); {@code source} xor {@code data}, {@code source} without
 * {@code '|'} and ending in {@code .gguf} for direct, erase and replace; {@code data} a payload wire dict
 * with version 1 and a kind the algorithm accepts. The selector checks follow {@code SelectSpec._validate}.
 * {@code scripts/check-easysteer-fixtures.py} runs the shared fixture cases through the real model to
 * show this class agrees with it.
 */
public final class EasySteerSpecModel {

    private static final Set<String> SPEC_KEYS = Set.of("vectors", "conflict");
    private static final Set<String> VECTOR_KEYS = Set.of("source", "data", "algorithm", "scale", "layers",
            "normalize", "apply", "params", "name");
    private static final List<String> INCLUDE = List.of("prompt_tokens", "prompt_positions", "prompt_window",
            "generation_tokens", "generation_positions", "generation_window");
    private static final Set<String> LISTS = Set.of("prompt_tokens", "prompt_positions", "generation_tokens",
            "generation_positions", "exclude_prompt_tokens", "exclude_prompt_positions", "exclude_generation_tokens",
            "exclude_generation_positions");
    private static final Set<String> WINDOWS = Set.of("prompt_window", "generation_window", "exclude_prompt_window",
            "exclude_generation_window");
    private static final Map<String, String> PAYLOAD_KIND = Map.of("direct", "direction", "erase", "direction",
            "replace", "direction", "linear", "linear", "lm_steer", "lowrank", "loreft", "reft",
            "concept_replace", "concept_pair");
    private static final Set<String> PAYLOAD_KINDS = Set.of("direction", "linear", "lowrank", "reft", "concept_pair");

    private EasySteerSpecModel() {
    }

    /**
     * The problems with one {@code steering} value (as decoded by Vert.x: {@link JsonObject},
     * {@link JsonArray}, {@link String}, {@link Number}, {@link Boolean} or null); empty when valid.
     */
    public static List<String> validate(Object steering) {
        List<String> errors = new ArrayList<>();
        if (steering == null) {
            return errors;
        }
        if (!(steering instanceof JsonObject spec)) {
            errors.add("steering: Input should be a valid dictionary or instance of SteeringSpec");
            return errors;
        }
        extra(spec, SPEC_KEYS, "steering", errors);
        Object conflict = spec.getValue("conflict", "priority");
        if (!List.of("priority", "sequential", "error").contains(conflict)) {
            errors.add("steering.conflict: Input should be 'priority', 'sequential' or 'error'");
        }
        if (!spec.containsKey("vectors")) {
            errors.add("steering.vectors: Field required");
            return errors;
        }
        if (!(spec.getValue("vectors") instanceof JsonArray vectors)) {
            errors.add("steering.vectors: Input should be a valid list");
            return errors;
        }
        List<String> algorithms = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            String path = "steering.vectors." + i;
            if (!(vectors.getValue(i) instanceof JsonObject v)) {
                errors.add(path + ": Input should be a valid dictionary or instance of VectorSpec");
                continue;
            }
            algorithms.add(vector(v, path, errors));
        }
        if (errors.isEmpty()) {
            if (vectors.isEmpty()) {
                errors.add("steering: Value error, vectors must be non-empty");
            } else if (vectors.size() > 1 && algorithms.contains("moe_router")) {
                errors.add("steering: Value error, moe_router is not supported in multi-vector specs yet");
            }
        }
        return errors;
    }

    /** Validates one vector; returns its algorithm. */
    private static String vector(JsonObject v, String path, List<String> errors) {
        int before = errors.size();
        extra(v, VECTOR_KEYS, path, errors);
        Object source = v.getValue("source");
        if (source != null && !(source instanceof String)) {
            errors.add(path + ".source: Input should be a valid string");
        }
        Object algorithmValue = v.getValue("algorithm", "direct");
        if (!(algorithmValue instanceof String)) {
            errors.add(path + ".algorithm: Input should be a valid string");
        }
        String algorithm = String.valueOf(algorithmValue);
        if (v.containsKey("scale") && asFloat(v.getValue("scale")) == null) {
            errors.add(path + ".scale: Input should be a valid number");
        }
        List<Long> layers = null;
        if (v.getValue("layers") != null) {
            layers = intList(v.getValue("layers"), path + ".layers", errors);
        }
        if (v.containsKey("normalize") && asBool(v.getValue("normalize")) == null) {
            errors.add(path + ".normalize: Input should be a valid boolean");
        }
        Object params = v.getValue("params", new JsonObject());
        if (!(params instanceof JsonObject)) {
            errors.add(path + ".params: Input should be a valid dictionary");
        }
        Object name = v.getValue("name");
        if (name != null && !(name instanceof String)) {
            errors.add(path + ".name: Input should be a valid string");
        }
        if (!v.containsKey("apply")) {
            errors.add(path + ".apply: Field required");
        } else {
            apply(v.getValue("apply"), path + ".apply", errors);
        }
        if (errors.size() > before) {
            return algorithm;
        }
        // VectorSpec._validate, in its order
        String prefix = path + ": Value error, ";
        if (layers != null && layers.isEmpty()) {
            errors.add(prefix + "layers must be None or non-empty (None disables the filter)");
        } else if (source != null && ((String) source).contains("|")) {
            errors.add(prefix + "source must be a plain path; set the algorithm via the algorithm field");
        } else if (!((JsonObject) params).isEmpty() && !algorithm.equals("moe_router")) {
            errors.add(prefix + "unknown params for algorithm '" + algorithm + "': "
                    + ((JsonObject) params).fieldNames().stream().sorted().toList() + " (allowed: none)");
        } else if (v.getValue("data") != null) {
            data(v, algorithm, source, layers, prefix, errors);
        } else if (algorithm.equals("moe_router") && source == null) {
            errors.add(prefix + "moe_router without a source file requires params['expert_ids']");
        } else if (!algorithm.equals("moe_router") && source == null) {
            errors.add(prefix + "algorithm '" + algorithm + "' requires either a source file or an in-memory data payload");
        } else if (source != null && List.of("linear", "lm_steer", "loreft").contains(algorithm)) {
            errors.add(prefix + "algorithm '" + algorithm + "' loads no source files");
        } else if (source != null && List.of("direct", "erase", "replace").contains(algorithm)
                && !((String) source).toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            errors.add(prefix + "algorithm '" + algorithm + "' accepts only .gguf sources (EasySteer's export format), got '"
                    + source + "'");
        }
        return algorithm;
    }

    private static void data(JsonObject v, String algorithm, Object source, List<Long> layers, String prefix,
                             List<String> errors) {
        if (source != null) {
            errors.add(prefix + "source and data are mutually exclusive");
            return;
        }
        String expected = PAYLOAD_KIND.get(algorithm);
        if (expected == null) {
            errors.add(prefix + "algorithm '" + algorithm + "' does not accept in-memory payloads");
            return;
        }
        if (!(v.getValue("data") instanceof JsonObject wire)) {
            errors.add(prefix + "data must be a vllm.steer_vectors.payloads object or its wire dict");
            return;
        }
        for (String key : List.of("version", "kind", "tensors", "extra", "sha256")) {
            if (!wire.containsKey(key)) {
                errors.add(prefix + "payload wire dict is missing '" + key + "'");
                return;
            }
        }
        if (!Integer.valueOf(1).equals(wire.getValue("version"))) {
            errors.add(prefix + "unsupported payload wire version " + wire.getValue("version") + " (expected 1)");
        } else if (!PAYLOAD_KINDS.contains(String.valueOf(wire.getValue("kind")))) {
            errors.add(prefix + "unknown payload kind '" + wire.getValue("kind") + "'");
        } else if (!expected.equals(wire.getValue("kind"))) {
            errors.add(prefix + "algorithm '" + algorithm + "' requires a '" + expected + "' payload, got '"
                    + wire.getValue("kind") + "'");
        } else if (Set.of("linear", "lowrank").contains(expected) && (layers == null || layers.isEmpty())) {
            errors.add(prefix + "a '" + expected + "' payload holds one map applied to each target layer; layers is required");
        }
    }

    private static void apply(Object value, String path, List<String> errors) {
        if (!(value instanceof JsonObject a)) {
            errors.add(path + ": Input should be a valid dictionary or instance of ApplySpec");
            return;
        }
        Set<String> keys = new java.util.HashSet<>(List.of("prompt", "generation"));
        keys.addAll(LISTS);
        keys.addAll(WINDOWS);
        int before = errors.size();
        extra(a, keys, path, errors);
        for (String phase : List.of("prompt", "generation")) {
            Object all = a.getValue(phase);
            if (all != null && !"all".equals(all)) {
                errors.add(path + "." + phase + ": Input should be 'all'");
            }
        }
        for (String key : LISTS) {
            if (a.getValue(key) != null) {
                intList(a.getValue(key), path + "." + key, errors);
            }
        }
        for (String key : WINDOWS) {
            if (a.getValue(key) != null) {
                window(a.getValue(key), path + "." + key, errors);
            }
        }
        if (errors.size() > before) {
            return;
        }
        String prefix = path + ": Value error, ";
        if (!covers(a, "prompt") && !covers(a, "generation")) {
            errors.add(prefix + "the clause selects nothing: set prompt='all' / generation='all' or at least one include selector");
            return;
        }
        for (String phase : List.of("prompt", "generation")) {
            boolean excludes = a.fieldNames().stream().anyMatch(k -> k.startsWith("exclude_" + phase) && a.getValue(k) != null);
            if (excludes && !covers(a, phase)) {
                errors.add(prefix + "exclusions of " + phase + " tokens need a " + phase + " selector");
                return;
            }
        }
        for (String key : LISTS) {
            JsonArray list = a.getJsonArray(key);
            if (list != null && list.isEmpty()) {
                errors.add(prefix + key + " must be None or non-empty (None disables the filter)");
                return;
            }
            if (list != null && (key.endsWith("tokens") || key.endsWith("generation_positions"))
                    && list.stream().anyMatch(x -> asInt(x) < 0)) {
                errors.add(prefix + key + " must contain values >= 0");
                return;
            }
        }
        for (String key : WINDOWS) {
            JsonArray w = a.getJsonArray(key);
            if (w == null) {
                continue;
            }
            long start = asInt(w.getValue(0));
            Long stop = w.getValue(1) == null ? null : asInt(w.getValue(1));
            if (key.endsWith("prompt_window")) {
                if (stop != null && (start < 0) == (stop < 0) && stop <= start) {
                    errors.add(prefix + key + " must be a half-open (start, stop) with stop > start");
                    return;
                }
            } else if (start < 0) {
                errors.add(prefix + key + " start must be >= 0, got " + start);
                return;
            } else if (stop != null && stop <= start) {
                errors.add(prefix + key + " must be a half-open (start, stop) with stop > start or stop=None");
                return;
            }
        }
    }

    private static boolean covers(JsonObject a, String phase) {
        return "all".equals(a.getValue(phase))
                || INCLUDE.stream().anyMatch(k -> k.startsWith(phase) && a.getValue(k) != null);
    }

    private static void window(Object value, String path, List<String> errors) {
        if (!(value instanceof JsonArray w) || w.size() != 2) {
            errors.add(path + ": Input should be a valid tuple of two items");
            return;
        }
        if (asIntOrNull(w.getValue(0)) == null) {
            errors.add(path + ".0: Input should be a valid integer");
        }
        if (w.getValue(1) != null && asIntOrNull(w.getValue(1)) == null) {
            errors.add(path + ".1: Input should be a valid integer");
        }
    }

    private static List<Long> intList(Object value, String path, List<String> errors) {
        if (!(value instanceof JsonArray list)) {
            errors.add(path + ": Input should be a valid list");
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Long n = asIntOrNull(list.getValue(i));
            if (n == null) {
                errors.add(path + "." + i + ": Input should be a valid integer");
            } else {
                out.add(n);
            }
        }
        return out;
    }

    private static void extra(JsonObject o, Set<String> allowed, String path, List<String> errors) {
        o.fieldNames().stream().filter(k -> !allowed.contains(k)).sorted()
                .forEach(k -> errors.add(path + "." + k + ": Extra inputs are not permitted"));
    }

    private static long asInt(Object value) {
        Long n = asIntOrNull(value);
        return n == null ? 0 : n;
    }

    /** pydantic's lax int: integers, floats without a fraction, integer strings and booleans. */
    static Long asIntOrNull(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.stripTrailingZeros().scale() <= 0 ? d.longValue() : null;
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** pydantic's lax float: numbers, numeric strings and booleans. */
    static Double asFloat(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** pydantic's lax bool: booleans, 0/1 and the usual words. */
    static Boolean asBool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (Set.of("1", "on", "t", "true", "y", "yes").contains(t)) {
                return true;
            }
            if (Set.of("0", "off", "f", "false", "n", "no").contains(t)) {
                return false;
            }
        }
        return null;
    }
}
