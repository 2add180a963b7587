package io.steerguard.steering;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles GGUF bytes field by field from the spec, independently of {@link GgufWriter}, so tests
 * can check our reader against the spec rather than against ourselves, and can break any field.
 */
final class HandBuiltGguf {

    private final List<byte[]> kvs = new ArrayList<>();
    private final List<byte[]> infos = new ArrayList<>();
    private final List<byte[]> datas = new ArrayList<>();
    private int version = 3;
    private byte[] magic = {'G', 'G', 'U', 'F'};
    private int alignment = 32;

    HandBuiltGguf version(int v) {
        this.version = v;
        return this;
    }

    HandBuiltGguf magic(String m) {
        this.magic = m.getBytes(StandardCharsets.US_ASCII);
        return this;
    }

    HandBuiltGguf alignment(int a) {
        this.alignment = a;
        return this;
    }

    HandBuiltGguf kvString(String key, String value) {
        ByteBuffer b = le(8 + key.getBytes(StandardCharsets.UTF_8).length + 4 + 8
                + value.getBytes(StandardCharsets.UTF_8).length);
        putString(b, key);
        b.putInt(8); // GGUF_TYPE_STRING
        putString(b, value);
        kvs.add(b.array());
        return this;
    }

    HandBuiltGguf kvU32(String key, int value) {
        return kvInt(key, 4, value);
    }

    HandBuiltGguf kvI32(String key, int value) {
        return kvInt(key, 5, value);
    }

    /** A KV whose value is a 4-byte integer with the given type code (also used to forge bad types). */
    HandBuiltGguf kvInt(String key, int typeCode, int value) {
        ByteBuffer b = le(8 + key.getBytes(StandardCharsets.UTF_8).length + 4 + 4);
        putString(b, key);
        b.putInt(typeCode);
        b.putInt(value);
        kvs.add(b.array());
        return this;
    }

    /** Adds a 1-D F32 tensor whose data follows the previous one at the next aligned offset. */
    HandBuiltGguf f32(String name, float... values) {
        ByteBuffer d = le(values.length * 4);
        for (float v : values) {
            d.putFloat(v);
        }
        return tensor(name, new long[] {values.length}, 0, nextOffset(), d.array());
    }

    HandBuiltGguf tensor(String name, long[] dims, int ggmlType, long offset, byte[] data) {
        ByteBuffer b = le(8 + name.getBytes(StandardCharsets.UTF_8).length + 4 + 8 * dims.length + 4 + 8);
        putString(b, name);
        b.putInt(dims.length);
        for (long d : dims) {
            b.putLong(d);
        }
        b.putInt(ggmlType);
        b.putLong(offset);
        infos.add(b.array());
        datas.add(data);
        return this;
    }

    long nextOffset() {
        long off = 0;
        for (byte[] d : datas) {
            off += pad(d.length);
        }
        return off;
    }

    byte[] bytes() {
        int size = 4 + 4 + 8 + 8;
        for (byte[] kv : kvs) {
            size += kv.length;
        }
        for (byte[] info : infos) {
            size += info.length;
        }
        int dataStart = (int) pad(size);
        int total = dataStart;
        for (byte[] d : datas) {
            total += (int) pad(d.length);
        }
        ByteBuffer b = le(total);
        b.put(magic);
        b.putInt(version);
        b.putLong(infos.size());
        b.putLong(kvs.size());
        kvs.forEach(b::put);
        infos.forEach(b::put);
        b.position(dataStart);
        for (byte[] d : datas) {
            int at = b.position();
            b.put(d);
            b.position(at + (int) pad(d.length));
        }
        return b.array();
    }

    private long pad(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(utf8.length);
        b.put(utf8);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The usual three control-vector KVs. */
    static HandBuiltGguf controlVector(String hint, int layerCount) {
        return new HandBuiltGguf()
                .kvString("general.architecture", "controlvector")
                .kvString("controlvector.model_hint", hint)
                .kvU32("controlvector.layer_count", layerCount);
    }
}
