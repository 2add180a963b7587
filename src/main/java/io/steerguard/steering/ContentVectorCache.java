package io.steerguard.steering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parsed and validated vector sets keyed by the SHA-256 of their content (a file's bytes, or an
 * inline payload's floats) and the validation applied, bounded by the bytes their directions
 * occupy (least recently used first out). Runtime mode reads every file a request names, so a cache
 * keyed by path or by the request's layer list would grow with whatever clients send and would
 * serve old vectors after a file changed in place; keyed by content, the same bytes parse once and
 * different bytes never alias. A set larger than the whole budget is served but not kept.
 * Thread-safe.
 */
public final class ContentVectorCache {

    /** A cached parse: the content hash, the vectors (named as first seen) and the validation warnings. */
    public record Entry(String sha256, VectorSet set, List<VectorWarning> warnings) {
    }

    private record Key(String sha256, VectorValidation validation) {
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxBytes the budget for the cached directions (4 bytes per float) */
    public ContentVectorCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The vectors in {@code file}, read now (blocking I/O), parsed only when their content is new.
     *
     * @throws VectorFileException when the file cannot be read, parsed or validated
     */
    public Entry file(Path file, String name, VectorValidation validation) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VectorFileException(name, "file", "unreadable: " + e.getMessage(), e);
        }
        String sha = sha256(content);
        return get(new Key(sha, validation), () -> VectorFiles.read(content, name), name);
    }

    /** Inline vectors (already decoded), keyed by their content. */
    public Entry inline(Map<Integer, float[]> directions, String name, VectorValidation validation) {
        MessageDigest digest = digest();
        directions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            digest.update(("layer." + e.getKey() + ":" + e.getValue().length + ";").getBytes());
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(e.getValue().length * 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(e.getValue());
            digest.update(b.array());
        });
        String sha = "inline:" + HexFormat.of().formatHex(digest.digest());
        return get(new Key(sha, validation), () -> VectorSet.of("", directions).withSource(name), name);
    }

    /** Bytes of directions currently held. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Number of sets currently held. */
    public synchronized int size() {
        return entries.size();
    }

    private Entry get(Key key, Supplier<VectorSet> parse, String name) {
        synchronized (this) {
            Entry hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        VectorSet set;
        try {
            set = parse.get();
        } catch (IllegalArgumentException e) {
            throw new VectorFileException(name, "directions", e.getMessage(), e);
        }
        List<VectorWarning> warnings = key.validation().validate(set);
        Entry entry = new Entry(key.sha256(), set, warnings);
        long size = sizeOf(set);
        synchronized (this) {
            if (size <= maxBytes && !entries.containsKey(key)) {
                entries.put(key, entry);
                bytes += size;
                Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
                while (bytes > maxBytes && it.hasNext()) {
                    Map.Entry<Key, Entry> eldest = it.next();
                    bytes -= sizeOf(eldest.getValue().set());
                    it.remove();
                }
            }
        }
        return entry;
    }

    static long sizeOf(VectorSet set) {
        long floats = 0;
        for (float[] v : set.directions().values()) {
            floats += v.length;
        }
        return floats * 4;
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
