package io.steerguard.runtime.remote;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

/**
 * Reads EasySteer's per-request {@code steering} field back into a {@link SteeringSpec}: the
 * inverse of {@link EasySteerRequests}, for SteerGuard's own runtime mode, which serves the same
 * wire shape so a gateway's {@code easysteer} runtime can talk to it unchanged.
 *
 * <p>Entries keep {@code source} exactly as sent and carry no directions: the server resolves and
 * loads the files afterwards. Mapping, the reverse of the writer's:
 * <ul>
 *   <li>{@code "direct"} → {@link SteeringOperator#ADD} with {@code scale} as the coefficient;
 *       {@code "erase"} → {@link SteeringOperator#ABLATE} (the projection ignores the scale).</li>
 *   <li>{@code apply}: {@code {"prompt": "all", "generation": "all"}} or absent → all positions,
 *       {@code {"prompt": "all"}} → prompt, {@code {"generation": "all"}} → generated,
 *       {@code {"generation_window": [0, k]}} → first-k. Other windows have no SteerGuard
 *       equivalent and are rejected rather than approximated.</li>
 *   <li>{@code "conflict"}: absent or {@code "sequential"} (entries stack in order, as the embedded
 *       runtime applies them); {@code "priority"} is accepted only with one vector, where the two agree.</li>
 *   <li>{@code "normalize": true} (EasySteer's norm-preserving rescale) is rejected: the embedded
 *       runtime has no such step, and dropping it silently would change the output.</li>
 *   <li>{@code false}, {@code null} or an absent field → {@link SteeringSpec#none()}; there is no
 *       server default spec, so {@code true} is rejected.</li>
 * </ul>
 */
public final class EasySteerSteering {

    /** The outcome of reading one {@code steering} field. */
    public sealed interface Result {
        /** A well-formed field; entries reference their files by {@code source}, without directions. */
        record Parsed(SteeringSpec spec) implements Result {
        }

        /** A malformed field: an OpenAI-style message and the offending parameter path. */
        record Invalid(String message, String param) implements Result {
        }
    }

    private static final Set<String> STEERING_KEYS = Set.of("vectors", "conflict");
    private static final Set<String> VECTOR_KEYS = Set.of("source", "algorithm", "scale", "layers", "normalize",
            "apply");

    private EasySteerSteering() {
    }

    /** Reads the {@code steering} field; {@code field} is {@code null} when the request has none. */
    public static Result parse(JsonNode field) {
        try {
            return new Result.Parsed(spec(field));
        } catch (Bad e) {
            return new Result.Invalid(e.getMessage(), e.param);
        }
    }

    private static SteeringSpec spec(JsonNode field) {
        if (field == null || field.isNull() || (field.isBoolean() && !field.asBoolean())) {
            return SteeringSpec.none();
        }
        if (!field.isObject()) {
            throw new Bad("'steering' must be false or an object like {\"vectors\": [{\"source\": \"x.gguf\", "
                    + "\"algorithm\": \"direct\", \"scale\": 4, \"layers\": [3]}]}; this runtime has no default spec.",
                    "steering");
        }
        rejectUnknown(field, STEERING_KEYS, "steering");
        JsonNode vectors = field.get("vectors");
        if (vectors == null || vectors.isNull()) {
            throw new Bad("Missing required parameter: 'steering.vectors'.", "steering.vectors");
        }
        if (!vectors.isArray()) {
            throw new Bad("'steering.vectors' must be an array.", "steering.vectors");
        }
        String conflict = field.hasNonNull("conflict") ? field.get("conflict").asText() : "sequential";
        if (!conflict.equals("sequential") && !(conflict.equals("priority") && vectors.size() <= 1)) {
            throw new Bad("Invalid 'steering.conflict': this runtime stacks vectors in order; send \"sequential\".",
                    "steering.conflict");
        }
        List<SteeringSpec.Entry> entries = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            entries.add(entry(vectors.get(i), "steering.vectors[" + i + "]"));
        }
        return new SteeringSpec(entries);
    }

    private static SteeringSpec.Entry entry(JsonNode v, String path) {
        if (v == null || !v.isObject()) {
            throw new Bad("'" + path + "' must be an object.", path);
        }
        rejectUnknown(v, VECTOR_KEYS, path);
        JsonNode source = v.get("source");
        if (source == null || !source.isTextual() || source.asText().isBlank()) {
            throw new Bad("'" + path + ".source' must be a vector file path.", path + ".source");
        }
        JsonNode algorithm = v.get("algorithm");
        SteeringOperator operator;
        if (algorithm != null && algorithm.isTextual() && algorithm.asText().equals("direct")) {
            operator = SteeringOperator.ADD;
        } else if (algorithm != null && algorithm.isTextual() && algorithm.asText().equals("erase")) {
            operator = SteeringOperator.ABLATE;
        } else {
            throw new Bad("Invalid '" + path + ".algorithm': expected \"direct\" or \"erase\".", path + ".algorithm");
        }
        double scale = 1.0;
        JsonNode s = v.get("scale");
        if (s != null && !s.isNull()) {
            if (!s.isNumber() || !Double.isFinite(s.asDouble())) {
                throw new Bad("Invalid '" + path + ".scale': expected a finite number.", path + ".scale");
            }
            scale = s.asDouble();
        }
        JsonNode normalize = v.get("normalize");
        if (normalize != null && !normalize.isNull() && !(normalize.isBoolean() && !normalize.asBoolean())) {
            throw new Bad("'" + path + ".normalize' must be false: this runtime does not rescale steered states"
                    + " back to their norm.", path + ".normalize");
        }
        return new SteeringSpec.Entry(source.asText(), layers(v.get("layers"), path + ".layers"), Map.of(), scale,
                operator, 0, positions(v.get("apply"), path + ".apply"), false);
    }

    private static List<Integer> layers(JsonNode layers, String path) {
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new Bad("'" + path + "' must be a non-empty array of decoder-layer indices.", path);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode l : layers) {
            if (!l.canConvertToInt() || !l.isIntegralNumber() || l.asInt() < 0 || out.contains(l.asInt())) {
                throw new Bad("Invalid '" + path + "': layers are distinct integers >= 0.", path);
            }
            out.add(l.asInt());
        }
        return out;
    }

    private static SteeringPositions positions(JsonNode apply, String path) {
        if (apply == null || apply.isNull()) {
            return SteeringPositions.ALL;
        }
        if (!apply.isObject()) {
            throw new Bad("'" + path + "' must be an object.", path);
        }
        boolean prompt = "all".equals(text(apply, "prompt"));
        boolean generation = "all".equals(text(apply, "generation"));
        JsonNode window = apply.get("generation_window");
        if (prompt && generation && apply.size() == 2) {
            return SteeringPositions.ALL;
        }
        if (prompt && apply.size() == 1) {
            return new SteeringPositions(SteeringPositions.Mode.PROMPT, 0);
        }
        if (generation && apply.size() == 1) {
            return new SteeringPositions(SteeringPositions.Mode.GENERATED, 0);
        }
        if (window != null && apply.size() == 1 && window.isArray() && window.size() == 2
                && window.get(0).isIntegralNumber() && window.get(0).asInt() == 0
                && window.get(1).isIntegralNumber() && window.get(1).asInt() >= 1) {
            return SteeringPositions.firstK(window.get(1).asInt());
        }
        throw new Bad("Invalid '" + path + "': supported are {\"prompt\": \"all\", \"generation\": \"all\"},"
                + " {\"prompt\": \"all\"}, {\"generation\": \"all\"} and {\"generation_window\": [0, k]} with k >= 1.",
                path);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static void rejectUnknown(JsonNode object, Set<String> known, String path) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new Bad("'" + path + "." + name + "' is not supported by this runtime.", path + "." + name);
            }
        }
    }

    /** A validation failure inside the reader; converted to {@link Result.Invalid} at the boundary. */
    private static final class Bad extends RuntimeException {
        private final String param;

        Bad(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }
}
