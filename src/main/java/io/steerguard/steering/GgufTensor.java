package io.steerguard.steering;

import java.util.Objects;

/**
 * One tensor of a GGUF file: its info record and its raw little-endian data.
 *
 * @param name     tensor name (e.g. {@code direction.4})
 * @param dims     dimensions, innermost first as ggml's {@code ne[]} (a 1-D vector has one entry)
 * @param ggmlType the ggml type code ({@link #F32}, {@link #F16}, {@link #BF16})
 * @param offset   offset of the data from the start of the tensor-data section, a multiple of the alignment
 * @param data     the tensor's bytes, without trailing padding
 */
public record GgufTensor(String name, long[] dims, int ggmlType, long offset, byte[] data) {

    /** ggml type code of 32-bit IEEE floats, the only type llama.cpp accepts for control vectors. */
    public static final int F32 = 0;
    /** ggml type code of IEEE half floats. */
    public static final int F16 = 1;
    /** ggml type code of bfloat16. */
    public static final int BF16 = 30;

    public GgufTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        dims = dims.clone();
    }

    /** Bytes per element of a supported type, or -1 when this reader cannot size the type. */
    public static int elementSize(int ggmlType) {
        return switch (ggmlType) {
            case F32 -> 4;
            case F16, BF16 -> 2;
            default -> -1;
        };
    }

    /** A readable name of a ggml type code, for messages. */
    public static String typeName(int ggmlType) {
        return switch (ggmlType) {
            case F32 -> "F32";
            case F16 -> "F16";
            case BF16 -> "BF16";
            default -> "ggml type " + ggmlType;
        };
    }

    /** The number of elements (product of the dimensions). */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
