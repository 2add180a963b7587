package io.steerguard.steering;

import java.util.Locale;

/**
 * The vector file formats we read and write, and how each names a layer's field in messages.
 *
 * <ul>
 *   <li>{@link #GGUF}: llama.cpp / repeng control vectors, tensors {@code direction.L}, L >= 1
 *       ({@link ControlVectorGguf}).</li>
 *   <li>{@link #SAFETENSORS}: one 1-D tensor per layer named {@code layers.L} (0-based, our
 *       convention), metadata {@code model_hint} ({@link SafetensorsVectors}).</li>
 *   <li>{@link #JSON}: {@code {"format": "steerguard-vectors/v1", "modelHint": "llama",
 *       "layers": {"3": [0.1, ...]}}} for tiny vectors and tests ({@link JsonVectors}).</li>
 * </ul>
 */
public enum VectorFormat {
    GGUF(".gguf"), SAFETENSORS(".safetensors"), JSON(".json");

    private final String extension;

    VectorFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The format a file name's extension announces, or {@code null}. */
    public static VectorFormat ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (VectorFormat f : values()) {
            if (lower.endsWith(f.extension)) {
                return f;
            }
        }
        return null;
    }

    /** How this format names the field holding {@code layer}, so messages point into the file. */
    public String fieldFor(int layer) {
        return switch (this) {
            case GGUF -> "tensor " + ControlVectorGguf.TENSOR_PREFIX + layer;
            case SAFETENSORS -> "tensor " + SafetensorsVectors.KEY_PREFIX + layer;
            case JSON -> "layers." + layer;
        };
    }

    /** How this format names the model-hint field. */
    public String hintField() {
        return switch (this) {
            case GGUF -> "metadata " + ControlVectorGguf.MODEL_HINT_KEY;
            case SAFETENSORS -> "metadata " + SafetensorsVectors.MODEL_HINT_KEY;
            case JSON -> "modelHint";
        };
    }

    /** The layer field name for a source whose format may be unknown. */
    static String fieldFor(String source, int layer) {
        VectorFormat f = ofFileName(source);
        return f == null ? "layer " + layer : f.fieldFor(layer);
    }

    static String hintField(String source) {
        VectorFormat f = ofFileName(source);
        return f == null ? "model hint" : f.hintField();
    }
}
