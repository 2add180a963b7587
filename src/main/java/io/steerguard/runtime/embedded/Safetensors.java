package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain-Java reading and writing of safetensors files (F32, F16, BF16), shared by the embedded
 * runtime, the steering-vector tools and the model-fixture writers.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** Reads every tensor of a file, converted to F32 values, in header order. */
    public static Map<String, Tensor> read(Path path) throws IOException {
        SafetensorsFile file = SafetensorsFile.open(path);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : file.names()) {
            out.put(name, file.tensor(name));
        }
        return out;
    }

    /** Writes tensors in map order, each rounded to its {@link Tensor#type()}. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Writes tensors and a {@code __metadata__} string map. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = (long) t.size() * t.type().bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.type().name());
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
                writeValues(out, t);
            }
        }
    }

    private static void writeValues(OutputStream out, Tensor t) throws IOException {
        float[] v = t.values();
        int chunk = 1 << 16;
        ByteBuffer buf = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < v.length; start += chunk) {
            int end = Math.min(v.length, start + chunk);
            buf.clear();
            for (int i = start; i < end; i++) {
                switch (t.type()) {
                    case F32 -> buf.putFloat(v[i]);
                    case F16 -> buf.putShort(HalfFloats.floatToF16(v[i]));
                    case BF16 -> buf.putShort(HalfFloats.floatToBf16(v[i]));
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    /** Name of the JSON file that lists which shard holds each tensor. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** Header of the index file, for writers of sharded models. */
    static byte[] indexJson(Map<String, String> weightMap, long totalSize) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** Writes {@code shards} as {@code model-0000i-of-0000n.safetensors} plus the index file. */
    public static void writeSharded(Path dir, java.util.List<Map<String, Tensor>> shards) throws IOException {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            write(dir.resolve(file), shards.get(i));
            for (Map.Entry<String, Tensor> e : shards.get(i).entrySet()) {
                weightMap.put(e.getKey(), file);
                total += (long) e.getValue().size() * e.getValue().type().bytes();
            }
        }
        Files.write(dir.resolve(INDEX_FILE), indexJson(weightMap, total));
    }
}
