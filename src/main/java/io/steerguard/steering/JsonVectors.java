package io.steerguard.steering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project's JSON form for tiny vectors and hand-written tests:
 *
 * <pre>
 * {"format": "steerguard-vectors/v1", "modelHint": "llama", "layers": {"3": [0.5, -1.25, ...]}}
 * </pre>
 *
 * Keys of {@code layers} are 0-based layers in our (and llama.cpp's) convention; {@code format}
 * and {@code modelHint} are optional on read. Floats are written in their shortest round-trip
 * form and read with correct rounding, so write then read is bit-identical.
 */
public final class JsonVectors {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonVectors() {
    }

    /** Reads a vector set; {@code file} names the source in messages and in the result. */
    public static VectorSet read(byte[] bytes, String file) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new VectorFileException(file, "document", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new VectorFileException(file, "document", "must be a JSON object with a 'layers' object");
        }
        JsonNode format = root.get("format");
        if (format != null && !SafetensorsVectors.FORMAT.equals(format.asText())) {
            throw new VectorFileException(file, "format", "'" + format.asText() + "' is not "
                    + SafetensorsVectors.FORMAT);
        }
        String hint = "";
        JsonNode h = root.get("modelHint");
        if (h != null) {
            if (!h.isTextual()) {
                throw new VectorFileException(file, "modelHint", "must be a string");
            }
            hint = h.asText();
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isObject() || layers.isEmpty()) {
            throw new VectorFileException(file, "layers", "missing or empty; expected {\"<layer>\": [floats]}");
        }
        TreeMap<Integer, float[]> directions = new TreeMap<>();
        Map<Integer, String> keys = new TreeMap<>();
        int size = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "layers." + e.getKey();
            String key = e.getKey();
            if (key.isEmpty() || key.length() > 6 || !key.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new VectorFileException(file, field, "key is not a non-negative layer number");
            }
            int layer = Integer.parseInt(key);
            if (keys.containsKey(layer)) {
                throw new VectorFileException(file, field, "duplicate layer " + layer + ", also in layers." + keys.get(layer));
            }
            JsonNode values = e.getValue();
            if (!values.isArray() || values.isEmpty()) {
                throw new VectorFileException(file, field, "must be a non-empty array of numbers");
            }
            if (size >= 0 && values.size() != size) {
                throw new VectorFileException(file, field, "length " + values.size() + " differs from earlier layers (" + size + ")");
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = values.get(i);
                if (!x.isNumber()) {
                    throw new VectorFileException(file, field + "[" + i + "]", "is not a number: " + x);
                }
                v[i] = x.floatValue();
            }
            size = v.length;
            keys.put(layer, key);
            directions.put(layer, v);
        }
        return new VectorSet(hint, directions, file);
    }

    /** The JSON bytes of {@code set}. */
    public static byte[] write(VectorSet set) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", SafetensorsVectors.FORMAT);
        root.put("modelHint", set.modelHint());
        ObjectNode layers = root.putObject("layers");
        for (Map.Entry<Integer, float[]> e : set.directions().entrySet()) {
            ArrayNode values = layers.putArray(Integer.toString(e.getKey()));
            for (float x : e.getValue()) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException(set.source() + ": layer " + e.getKey()
                            + " holds " + x + ", which JSON cannot represent");
                }
                values.add(x);
            }
        }
        return (root.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
