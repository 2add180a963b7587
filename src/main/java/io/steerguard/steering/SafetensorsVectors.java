package io.steerguard.steering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Steering vectors as safetensors: an 8-byte little-endian header length {@code N}, {@code N}
 * bytes of JSON header, then the raw data. Each layer is a 1-D tensor named {@code layers.L}
 * (0-based decoder block whose output is steered; layer 0 is allowed here, unlike GGUF); the
 * header's {@code __metadata__} holds {@code format = steerguard-vectors/v1} and
 * {@code model_hint}. We write F32 and read F32, F16 and BF16.
 *
 * <p>Deliberately minimal and independent of the runtime's general safetensors reader
 * ({@code io.steerguard.runtime.embedded}); the two could be unified later.
 */
public final class SafetensorsVectors {

    public static final String KEY_PREFIX = "layers.";
    public static final String MODEL_HINT_KEY = "model_hint";
    public static final String FORMAT = "steerguard-vectors/v1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafetensorsVectors() {
    }

    /** Reads a vector set; {@code file} names the source in messages and in the result. */
    public static VectorSet read(byte[] bytes, String file) {
        if (bytes.length < 8) {
            throw new VectorFileException(file, "header", "truncated: " + bytes.length + " bytes, a safetensors file "
                    + "starts with an 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > bytes.length - 8L) {
            throw new VectorFileException(file, "header", "declared header length " + Long.toUnsignedString(headerLength)
                    + " does not fit in the " + bytes.length + "-byte file: truncated or not safetensors");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new VectorFileException(file, "header", "not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new VectorFileException(file, "header", "must be a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        String hint = "";
        TreeMap<Integer, float[]> directions = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        int size = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                JsonNode h = e.getValue().get(MODEL_HINT_KEY);
                if (h != null) {
                    if (!h.isTextual()) {
                        throw new VectorFileException(file, "metadata " + MODEL_HINT_KEY, "must be a string");
                    }
                    hint = h.asText();
                }
                continue;
            }
            String field = "tensor " + name;
            int layer = layerOf(name, file);
            JsonNode info = e.getValue();
            String dtype = info.path("dtype").asText("");
            int elementSize = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new VectorFileException(file, field, "dtype '" + dtype
                        + "' is not supported (F32, F16, BF16)");
            };
            JsonNode shape = info.path("shape");
            if (!shape.isArray() || shape.size() != 1 || !shape.get(0).canConvertToInt() || shape.get(0).asInt() < 1) {
                throw new VectorFileException(file, field, "shape " + shape + " is not 1-D [hidden_size]");
            }
            int length = shape.get(0).asInt();
            JsonNode offsets = info.path("data_offsets");
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                    || !offsets.get(1).canConvertToLong()) {
                throw new VectorFileException(file, field, "data_offsets must be [begin, end]");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end - begin != (long) length * elementSize) {
                throw new VectorFileException(file, field, "data_offsets [" + begin + ", " + end + "] do not hold "
                        + length + " " + dtype + " values");
            }
            if (end > dataLength) {
                throw new VectorFileException(file, field, "truncated tensor data: ends at data byte " + end
                        + " but the file holds only " + dataLength + " data bytes");
            }
            if (size >= 0 && length != size) {
                throw new VectorFileException(file, field, "length " + length + " differs from earlier tensors (" + size + ")");
            }
            if (names.containsKey(layer)) {
                throw new VectorFileException(file, field, "duplicate layer " + layer + ", also in tensor " + names.get(layer));
            }
            size = length;
            names.put(layer, name);
            directions.put(layer, decode(buf, (int) (dataStart + begin), length, dtype));
        }
        if (directions.isEmpty()) {
            throw new VectorFileException(file, "tensors", "no layers." + "L tensors");
        }
        return new VectorSet(hint, directions, file);
    }

    /** The safetensors bytes of {@code set}, F32, tensors in ascending layer order. */
    public static byte[] write(VectorSet set) {
        return write(set, Map.of());
    }

    /** As {@link #write(VectorSet)}, with extra string metadata (e.g. a refusal direction's token ids). */
    static byte[] write(VectorSet set, Map<String, String> extraMetadata) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", FORMAT);
        meta.put(MODEL_HINT_KEY, set.modelHint());
        new TreeMap<>(extraMetadata).forEach(meta::put);
        long offset = 0;
        for (Map.Entry<Integer, float[]> e : set.directions().entrySet()) {
            ObjectNode t = header.putObject(KEY_PREFIX + e.getKey());
            t.put("dtype", "F32");
            t.putArray("shape").add(e.getValue().length);
            long end = offset + 4L * e.getValue().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to a multiple of 8 so the data is aligned, as the format allows.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (float[] v : set.directions().values()) {
            for (float x : v) {
                out.putFloat(x);
            }
        }
        return out.array();
    }

    /** The string metadata of a file {@link #read} accepts. */
    public static java.util.SortedMap<String, String> metadata(byte[] bytes, String file) {
        read(bytes, file); // validates the whole file first
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        TreeMap<String, String> out = new TreeMap<>();
        try {
            JsonNode meta = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
                    .path("__metadata__");
            meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (JsonProcessingException e) {
            throw new VectorFileException(file, "header", "not valid JSON: " + e.getOriginalMessage());
        }
        return out;
    }

    private static int layerOf(String name, String file) {
        String suffix = name.startsWith(KEY_PREFIX) ? name.substring(KEY_PREFIX.length()) : "";
        if (suffix.isEmpty() || suffix.length() > 6 || !suffix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new VectorFileException(file, "tensor " + name, "name must be layers.L with L a non-negative integer");
        }
        return Integer.parseInt(suffix);
    }

    private static float[] decode(ByteBuffer buf, int at, int length, String dtype) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = switch (dtype) {
                case "F32" -> buf.getFloat(at + 4 * i);
                case "F16" -> halfToFloat(buf.getShort(at + 2 * i));
                default -> Float.intBitsToFloat((buf.getShort(at + 2 * i) & 0xFFFF) << 16); // BF16
            };
        }
        return v;
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13)); // Inf or NaN
        }
        if (exponent == 0) {
            // zero or subnormal: value = mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // normal: rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
