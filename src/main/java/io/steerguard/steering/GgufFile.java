package io.steerguard.steering;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parsed contents of a GGUF container: version, alignment, metadata in file order, tensors in
 * file order. Written by {@link GgufWriter}, read by {@link GgufReader}.
 *
 * @param version   the GGUF version (the writer always writes 3)
 * @param alignment the data alignment ({@code general.alignment}, 32 when absent)
 * @param metadata  key-value pairs in file order
 * @param tensors   tensors in file order
 */
public record GgufFile(int version, int alignment, Map<String, GgufValue> metadata, List<GgufTensor> tensors) {

    /** The alignment GGUF uses when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** The metadata key that overrides the alignment (type uint32). */
    public static final String ALIGNMENT_KEY = "general.alignment";

    public GgufFile {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tensors, "tensors");
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a positive power of two, got " + alignment);
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The tensor named {@code name}, or {@code null}. */
    public GgufTensor tensor(String name) {
        for (GgufTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
