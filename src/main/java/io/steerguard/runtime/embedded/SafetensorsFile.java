package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, opened lazily: the JSON header is parsed at once, each tensor's bytes are
 * memory-mapped only when {@link #tensor} asks for it, so a model is never held twice in the heap.
 *
 * <p>Layout: an 8-byte little-endian header length {@code N}, {@code N} bytes of JSON mapping each
 * name to {@code {dtype, shape, data_offsets: [begin, end)}} (offsets relative to the end of the
 * header) plus an optional {@code __metadata__} string map, then the raw little-endian data.
 */
public final class SafetensorsFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers above this size are certainly not safetensors (the format caps them at 100 MB). */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    /** Where one tensor lives in the file. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private final Path path;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Reads the header of {@code path}; throws {@link IOException} when it is not a safetensors file. */
    public static SafetensorsFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > ch.size()) {
                throw new IOException(path + ": not a safetensors file (header length " + headerLen + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root = JSON.readTree(header.array());
            long dataLen = ch.size() - 8 - headerLen;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.put(f.getKey(), parseEntry(path, f.getKey(), f.getValue(), dataLen));
            }
            return new SafetensorsFile(path, 8 + headerLen, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata));
        }
    }

    private static Entry parseEntry(Path path, String name, JsonNode node, long dataLen) throws IOException {
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        String dtype = node.path("dtype").asText(null);
        if (dtype == null || shapeNode == null || !shapeNode.isArray() || offsets == null || offsets.size() != 2) {
            throw new IOException(path + ": malformed header entry for tensor '" + name + "'");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new IOException(path + ": tensor '" + name + "' has data offsets [" + begin + ", " + end
                    + ") outside the " + dataLen + "-byte data section");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The header entry of {@code name}, or {@code null}. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Maps and converts one tensor to F32.
     *
     * @throws IOException for an unknown name, an unsupported dtype or a size that does not match the shape
     */
    public Tensor tensor(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IOException(path + ": no tensor '" + name + "'");
        }
        TensorType type = TensorType.fromHeader(e.dtype());
        if (type == null) {
            throw new IOException(path + ": tensor '" + name + "' has dtype " + e.dtype()
                    + "; only F32, F16 and BF16 are supported");
        }
        long count = 1;
        for (long d : e.shape) {
            count *= d;
        }
        if (count * type.bytes() != e.end() - e.begin()) {
            throw new IOException(path + ": tensor '" + name + "' has " + (e.end() - e.begin())
                    + " bytes, but its shape and dtype need " + count * type.bytes());
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(path + ": tensor '" + name + "' is too large for one array");
        }
        float[] values = new float[(int) count];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case F32 -> data.asFloatBuffer().get(values);
                case F16 -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = HalfFloats.f16ToFloat(data.getShort(2 * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = HalfFloats.bf16ToFloat(data.getShort(2 * i));
                    }
                }
            }
        }
        return new Tensor(type, e.shape, values);
    }
}
