package io.steerguard.steering;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * llama.cpp / repeng control vectors in GGUF.
 *
 * <p>The file holds {@code general.architecture = "controlvector"} (string),
 * {@code controlvector.model_hint} (string, e.g. {@code llama}) and {@code controlvector.layer_count}
 * (uint32: the number of direction tensors, as repeng writes it; llama.cpp's own cvector-generator
 * writes an int32, which we also accept), and one 1-D F32 tensor {@code direction.N} per steered layer.
 *
 * <p>Layer numbering: llama.cpp's loader ({@code common_control_vector_load_one}) stores
 * {@code direction.N} at buffer row {@code N-1} and its applier fills block {@code il} from row
 * {@code il-1}, so {@code direction.N} is added to the output of 0-based block {@code N} - exactly
 * our layer {@code N}. Block 0 has no row in llama.cpp, which rejects {@code direction.0}; EasySteer
 * (its GGUF export and its loader, {@code easysteer/steer/utils.py} at EasySteer {@code 312c6d87} and
 * {@code vllm/steer_vectors/algorithms/loading.py} at EasySteer-vllm-v1 {@code 6267ca0c}) names
 * every layer {@code direction.<layer>}, layer 0 included, with the same "output of block N" meaning.
 * So we read {@code direction.0} as layer 0, and keep writing llama.cpp-loadable files: a set with
 * layer 0 cannot be written to GGUF here (use safetensors or JSON).
 *
 * <p>We are stricter than llama.cpp, which ignores the metadata and sums repeated layers: a missing
 * or wrong architecture, a missing layer count, a suffix that is not a plain number, and two
 * tensors for one layer are errors here, so a mislabelled file fails loudly instead of steering.
 */
public final class ControlVectorGguf {

    public static final String ARCHITECTURE_KEY = "general.architecture";
    public static final String ARCHITECTURE = "controlvector";
    public static final String MODEL_HINT_KEY = "controlvector.model_hint";
    public static final String LAYER_COUNT_KEY = "controlvector.layer_count";
    public static final String TENSOR_PREFIX = "direction.";

    private ControlVectorGguf() {
    }

    /** Reads a control vector; {@code file} names the source in messages and in the result. */
    public static VectorSet read(byte[] bytes, String file) {
        GgufFile gguf = GgufReader.read(bytes, file);
        Map<String, GgufValue> md = gguf.metadata();

        GgufValue arch = md.get(ARCHITECTURE_KEY);
        if (arch == null) {
            throw new VectorFileException(file, "metadata " + ARCHITECTURE_KEY,
                    "missing; a control vector declares '" + ARCHITECTURE + "'");
        }
        if (arch.type() != GgufType.STRING || !ARCHITECTURE.equals(arch.asString())) {
            throw new VectorFileException(file, "metadata " + ARCHITECTURE_KEY,
                    "is " + describe(arch) + ", expected '" + ARCHITECTURE + "' (a model file rather than a control vector?)");
        }
        String hint = "";
        GgufValue hintValue = md.get(MODEL_HINT_KEY);
        if (hintValue != null) {
            if (hintValue.type() != GgufType.STRING) {
                throw new VectorFileException(file, "metadata " + MODEL_HINT_KEY, "must be a string, found " + hintValue.type());
            }
            hint = hintValue.asString();
        }
        GgufValue count = md.get(LAYER_COUNT_KEY);
        if (count == null) {
            throw new VectorFileException(file, "metadata " + LAYER_COUNT_KEY, "missing");
        }
        if (!count.type().isInteger()) {
            throw new VectorFileException(file, "metadata " + LAYER_COUNT_KEY, "must be an integer, found " + count.type());
        }
        if (gguf.tensors().isEmpty()) {
            throw new VectorFileException(file, "tensors", "no direction tensors");
        }

        TreeMap<Integer, float[]> directions = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        int size = -1;
        for (GgufTensor t : gguf.tensors()) {
            String field = "tensor " + t.name();
            int layer = layerOf(t.name(), file);
            if (t.ggmlType() != GgufTensor.F32) {
                throw new VectorFileException(file, field, "type " + GgufTensor.typeName(t.ggmlType())
                        + ", control vectors must be F32");
            }
            if (t.dims().length != 1) {
                throw new VectorFileException(file, field, t.dims().length + " dimensions, control vectors are 1-D");
            }
            int length = (int) t.dims()[0];
            if (length < 1) {
                throw new VectorFileException(file, field, "empty tensor, a direction needs at least one component");
            }
            if (size >= 0 && length != size) {
                throw new VectorFileException(file, field, "length " + length + " differs from "
                        + names.values().iterator().next() + " (" + size + ")");
            }
            if (names.containsKey(layer)) {
                throw new VectorFileException(file, field, "duplicate layer " + layer + ", also in tensor "
                        + names.get(layer));
            }
            size = length;
            names.put(layer, t.name());
            directions.put(layer, floats(t.data()));
        }
        return new VectorSet(hint, directions, file);
    }

    /** The GGUF bytes of {@code set}; fails for layer 0, which GGUF control vectors cannot express. */
    public static byte[] write(VectorSet set) {
        if (set.directions().containsKey(0)) {
            throw new IllegalArgumentException(set.source() + ": layer 0 cannot be written as a GGUF control vector "
                    + "(llama.cpp rejects direction.0); write safetensors or JSON instead");
        }
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put(ARCHITECTURE_KEY, GgufValue.string(ARCHITECTURE));
        md.put(MODEL_HINT_KEY, GgufValue.string(set.modelHint()));
        md.put(LAYER_COUNT_KEY, GgufValue.uint32(set.directions().size()));
        List<GgufTensor> tensors = new ArrayList<>();
        for (Map.Entry<Integer, float[]> e : set.directions().entrySet()) {
            float[] v = e.getValue();
            ByteBuffer data = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(v);
            tensors.add(new GgufTensor(TENSOR_PREFIX + e.getKey(), new long[] {v.length}, GgufTensor.F32, 0, data.array()));
        }
        return GgufWriter.write(new GgufFile(3, GgufFile.DEFAULT_ALIGNMENT, md, tensors));
    }

    private static int layerOf(String name, String file) {
        String field = "tensor " + name;
        if (!name.startsWith(TENSOR_PREFIX)) {
            throw new VectorFileException(file, field, "unexpected tensor, control vectors hold only direction.N");
        }
        String suffix = name.substring(TENSOR_PREFIX.length());
        if (suffix.isEmpty() || suffix.length() > 6 || !suffix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new VectorFileException(file, field, "layer suffix '" + suffix + "' is not a non-negative integer");
        }
        return Integer.parseInt(suffix);
    }

    private static float[] floats(byte[] data) {
        float[] v = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static String describe(GgufValue v) {
        return v.type() == GgufType.STRING ? "'" + v.asString() + "'" : "a " + v.type() + " value";
    }
}
