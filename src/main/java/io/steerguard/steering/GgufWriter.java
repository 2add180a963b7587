package io.steerguard.steering;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Serialises a {@link GgufFile} as GGUF version 3, little-endian, in the layout llama.cpp's
 * {@code gguf_init_from_file} demands: tensor offsets are the running sum of each tensor's size
 * rounded up to the alignment (llama.cpp rejects any other offset with "tensor has offset X,
 * expected Y"), and every tensor, the last included, is followed by its zero padding (llama.cpp
 * reads the padded total as one blob). The offsets stored in the given {@link GgufTensor}s are
 * ignored and recomputed.
 */
public final class GgufWriter {

    private GgufWriter() {
    }

    /** The bytes of {@code file}. */
    public static byte[] write(GgufFile file) {
        int alignment = file.alignment();
        boolean declared = file.metadata().containsKey(GgufFile.ALIGNMENT_KEY);
        if (alignment != GgufFile.DEFAULT_ALIGNMENT && !declared) {
            throw new IllegalArgumentException("a non-default alignment " + alignment
                    + " must also be declared as metadata " + GgufFile.ALIGNMENT_KEY);
        }
        if (declared) {
            GgufValue v = file.metadata().get(GgufFile.ALIGNMENT_KEY);
            if (v.type() != GgufType.UINT32 || v.asLong() != alignment) {
                throw new IllegalArgumentException(GgufFile.ALIGNMENT_KEY + " must be uint32 " + alignment);
            }
        }
        Out out = new Out();
        out.bytes(GgufReader.MAGIC);
        out.u32(3);
        out.u64(file.tensors().size());
        out.u64(file.metadata().size());
        for (Map.Entry<String, GgufValue> kv : file.metadata().entrySet()) {
            out.string(kv.getKey());
            out.u32(kv.getValue().type().code());
            out.value(kv.getValue());
        }
        long offset = 0;
        for (GgufTensor t : file.tensors()) {
            int elementSize = GgufTensor.elementSize(t.ggmlType());
            if (elementSize < 0 || t.data().length != t.elementCount() * elementSize) {
                throw new IllegalArgumentException("tensor " + t.name() + ": " + t.data().length
                        + " data bytes do not match dims and " + GgufTensor.typeName(t.ggmlType()));
            }
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.ggmlType());
            out.u64(offset);
            offset += GgufReader.align(t.data().length, alignment);
        }
        out.padTo(alignment);
        for (GgufTensor t : file.tensors()) {
            out.bytes(t.data());
            out.padTo(alignment);
        }
        return out.toByteArray();
    }

    /** A little-endian byte sink. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] b) {
            bytes.write(b, 0, b.length);
        }

        void u8(int v) {
            bytes.write(v);
        }

        void u16(int v) {
            scratch.clear();
            scratch.putShort((short) v);
            bytes.write(scratch.array(), 0, 2);
        }

        void u32(long v) {
            scratch.clear();
            scratch.putInt((int) v);
            bytes.write(scratch.array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            bytes.write(scratch.array(), 0, 8);
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes(utf8);
        }

        void value(GgufValue v) {
            if (v.type() == GgufType.ARRAY) {
                List<?> elements = v.asList();
                u32(v.elementType().code());
                u64(elements.size());
                for (Object e : elements) {
                    scalar(v.elementType(), e);
                }
            } else {
                scalar(v.type(), v.value());
            }
        }

        void scalar(GgufType type, Object value) {
            switch (type) {
                case UINT8, INT8 -> u8(((Number) value).intValue());
                case UINT16, INT16 -> u16(((Number) value).intValue());
                case UINT32, INT32 -> u32(((Number) value).longValue());
                case UINT64, INT64 -> u64(((Number) value).longValue());
                case FLOAT32 -> u32(Float.floatToRawIntBits(((Number) value).floatValue()));
                case FLOAT64 -> u64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                case BOOL -> u8(((Boolean) value) ? 1 : 0);
                case STRING -> string((String) value);
                case ARRAY -> throw new IllegalArgumentException("nested arrays are not supported");
            }
        }

        void padTo(int alignment) {
            while (bytes.size() % alignment != 0) {
                bytes.write(0);
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
