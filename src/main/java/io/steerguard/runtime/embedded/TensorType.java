package io.steerguard.runtime.embedded;

/** The safetensors element types SteerGuard reads and writes; compute is always F32. */
public enum TensorType {
    F32(4), F16(2), BF16(2);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element on disk. */
    public int bytes() {
        return bytes;
    }

    /** Maps a safetensors {@code dtype} string; {@code null} for types we cannot convert to F32. */
    static TensorType fromHeader(String dtype) {
        for (TensorType t : values()) {
            if (t.name().equals(dtype)) {
                return t;
            }
        }
        return null;
    }
}
