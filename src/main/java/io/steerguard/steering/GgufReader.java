package io.steerguard.steering;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a GGUF container from bytes, following the GGUF spec field by field:
 *
 * <pre>
 * uint32 magic "GGUF" (bytes 47 47 55 46) | uint32 version | uint64 tensor_count | uint64 kv_count
 * kv_count  x { string key | uint32 value_type | value }
 * tensor_count x { string name | uint32 n_dims | uint64 dims[n_dims] | uint32 ggml_type | uint64 offset }
 * zero padding to general.alignment (default 32)
 * tensor data, each tensor at data_start + offset, offsets multiples of the alignment
 * </pre>
 *
 * Strings are a uint64 byte length followed by UTF-8 without terminator; arrays are a uint32
 * element type, a uint64 count and the elements. Everything is little-endian. Every fault is a
 * {@link VectorFileException} naming the field, e.g. {@code header.version} or
 * {@code tensor direction.3}.
 */
public final class GgufReader {

    /** The magic as the first four bytes of the file ("GGUF"). */
    static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    /** ggml supports at most four dimensions. */
    private static final int MAX_DIMS = 4;

    private final String file;
    private final ByteBuffer buf;
    private String field = "header";

    private GgufReader(byte[] bytes, String file) {
        this.file = file;
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Parses {@code bytes}.
     *
     * @param file the file name to put in messages
     * @throws VectorFileException when the bytes are not a well-formed GGUF v2/v3 container
     */
    public static GgufFile read(byte[] bytes, String file) {
        return new GgufReader(bytes, file).parse();
    }

    private GgufFile parse() {
        field = "header.magic";
        if (buf.remaining() < 4 || buf.get(0) != MAGIC[0] || buf.get(1) != MAGIC[1]
                || buf.get(2) != MAGIC[2] || buf.get(3) != MAGIC[3]) {
            throw fault("not a GGUF file: the first four bytes are not 'GGUF'");
        }
        buf.position(4);
        field = "header.version";
        long version = u32();
        if (version != 2 && version != 3) {
            String hint = version > 0xFFFF ? " (a big-endian GGUF file? only little-endian is supported)" : "";
            throw fault("unsupported GGUF version " + version + ", expected 3" + hint);
        }
        field = "header.tensor_count";
        long tensorCount = u64();
        field = "header.metadata_kv_count";
        long kvCount = u64();
        // A count larger than the file's byte size is corruption, not a reason to loop or allocate;
        // smaller counts fail naturally with "truncated" on the first field that runs off the end.
        if (kvCount < 0 || kvCount > buf.capacity()) {
            throw fault("metadata_kv_count " + Long.toUnsignedString(kvCount)
                    + " cannot fit in a file of " + buf.capacity() + " bytes: corrupt header");
        }
        field = "header.tensor_count";
        if (tensorCount < 0 || tensorCount > buf.capacity()) {
            throw fault("tensor_count " + Long.toUnsignedString(tensorCount)
                    + " cannot fit in a file of " + buf.capacity() + " bytes: corrupt header");
        }

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            field = "metadata[" + i + "].key";
            String key = string();
            field = "metadata " + key;
            if (metadata.containsKey(key)) {
                throw fault("duplicate metadata key");
            }
            GgufType type = type(u32());
            metadata.put(key, value(type));
        }

        int alignment = GgufFile.DEFAULT_ALIGNMENT;
        GgufValue alignValue = metadata.get(GgufFile.ALIGNMENT_KEY);
        if (alignValue != null) {
            field = "metadata " + GgufFile.ALIGNMENT_KEY;
            if (alignValue.type() != GgufType.UINT32) {
                throw fault("must be uint32, found " + alignValue.type());
            }
            long a = alignValue.asLong();
            if (a == 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
                throw fault("alignment " + a + " is not a power of two");
            }
            alignment = (int) a;
        }

        List<long[]> dimsList = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            field = "tensor_info[" + i + "].name";
            String name = string();
            field = "tensor " + name;
            if (!seen.add(name)) {
                throw fault("duplicate tensor name");
            }
            long nDims = u32();
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw fault("n_dims " + nDims + " is outside 1.." + MAX_DIMS);
            }
            long[] dims = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = u64();
                if (dims[d] < 0 || dims[d] > Integer.MAX_VALUE) {
                    throw fault("dimension " + d + " is " + Long.toUnsignedString(dims[d]) + ", too large");
                }
            }
            names.add(name);
            dimsList.add(dims);
            types.add((int) u32());
            offsets.add(u64());
        }

        // The data section starts at the next multiple of the alignment after the tensor infos.
        long dataStart = align(buf.position(), alignment);
        List<GgufTensor> tensors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            field = "tensor " + names.get(i);
            int type = types.get(i);
            int elementSize = GgufTensor.elementSize(type);
            if (elementSize < 0) {
                throw fault("unsupported " + GgufTensor.typeName(type) + " (this reader handles F32, F16, BF16)");
            }
            long offset = offsets.get(i);
            if (offset < 0 || offset % alignment != 0) {
                throw fault("data offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment "
                        + alignment);
            }
            long nbytes;
            try {
                long count = 1;
                for (long d : dimsList.get(i)) {
                    count = Math.multiplyExact(count, d);
                }
                nbytes = Math.multiplyExact(count, (long) elementSize);
            } catch (ArithmeticException e) {
                throw fault("dimensions " + java.util.Arrays.toString(dimsList.get(i)) + " overflow a byte count");
            }
            long start = dataStart + offset;
            if (start + nbytes > buf.capacity()) {
                throw fault("truncated tensor data: " + nbytes + " bytes at file offset " + start
                        + " end past the end of the file (" + buf.capacity() + " bytes)");
            }
            byte[] data = new byte[(int) nbytes];
            buf.get((int) start, data);
            tensors.add(new GgufTensor(names.get(i), dimsList.get(i), type, offset, data));
        }
        return new GgufFile((int) version, alignment, metadata, tensors);
    }

    private GgufValue value(GgufType type) {
        if (type == GgufType.ARRAY) {
            GgufType elementType = type(u32());
            if (elementType == GgufType.ARRAY) {
                throw fault("nested arrays are not supported");
            }
            long count = u64();
            long minSize = elementType == GgufType.STRING ? 8 : elementType.size();
            if (count < 0 || count > buf.remaining() / minSize) {
                throw fault("array of " + Long.toUnsignedString(count) + " " + elementType
                        + " elements cannot fit in the remaining " + buf.remaining() + " bytes: truncated");
            }
            List<Object> elements = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                elements.add(scalar(elementType));
            }
            return GgufValue.array(elementType, elements);
        }
        return new GgufValue(type, null, scalar(type));
    }

    private Object scalar(GgufType type) {
        return switch (type) {
            case UINT8 -> (long) (get() & 0xFF);
            case INT8 -> (long) get();
            case UINT16 -> (long) (getShort() & 0xFFFF);
            case INT16 -> (long) getShort();
            case UINT32 -> u32();
            case INT32 -> (long) getInt();
            case UINT64, INT64 -> u64();
            case FLOAT32 -> (double) Float.intBitsToFloat(getInt());
            case FLOAT64 -> Double.longBitsToDouble(u64());
            case BOOL -> {
                byte b = get();
                if (b != 0 && b != 1) {
                    throw fault("bool value " + b + " is neither 0 nor 1");
                }
                yield b == 1;
            }
            case STRING -> string();
            case ARRAY -> throw new IllegalStateException("arrays are handled by value()");
        };
    }

    private GgufType type(long code) {
        GgufType type = GgufType.fromCode(code);
        if (type == null) {
            throw fault("unknown value type " + code);
        }
        return type;
    }

    private String string() {
        long length = u64();
        if (length < 0 || length > buf.remaining()) {
            throw fault("string of " + Long.toUnsignedString(length) + " bytes runs past the end of the file: truncated");
        }
        byte[] bytes = new byte[(int) length];
        buf.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fault("string is not valid UTF-8");
        }
    }

    private long u32() {
        return getInt() & 0xFFFF_FFFFL;
    }

    private int getInt() {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    private long u64() {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    private short getShort() {
        try {
            return buf.getShort();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    private byte get() {
        try {
            return buf.get();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    private VectorFileException truncated() {
        return fault("truncated: the file ends at byte " + buf.capacity() + " in the middle of this field");
    }

    private VectorFileException fault(String detail) {
        return new VectorFileException(file, field, detail);
    }

    static long align(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }
}
