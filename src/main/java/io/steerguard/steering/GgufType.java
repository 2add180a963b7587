package io.steerguard.steering;

/**
 * Metadata value types of the GGUF container (the {@code gguf_type} enum of the GGUF spec). The
 * codes are written as little-endian uint32 before every value.
 */
public enum GgufType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4),
    BOOL(7, 1), STRING(8, -1), ARRAY(9, -1), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private final int code;
    private final int size;

    GgufType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /** The code stored in the file. */
    public int code() {
        return code;
    }

    /** Bytes one value occupies, or -1 for variable-length types (string, array). */
    public int size() {
        return size;
    }

    /** Whether the type holds an integer (any width, signed or not). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type for a code read from a file, or {@code null} when the code is unknown. */
    public static GgufType fromCode(long code) {
        for (GgufType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
