package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorFormatsTest {

    @TempDir
    Path dir;

    private static VectorSet sample() {
        Random rnd = new Random(11);
        float[] a = new float[9];
        float[] b = new float[9];
        for (int i = 0; i < 9; i++) {
            a[i] = (float) rnd.nextGaussian() * 1e-3f;
            b[i] = (float) rnd.nextGaussian() * 1e4f;
        }
        a[0] = Float.MIN_VALUE; // subnormal survives every format
        return VectorSet.of("llama", Map.of(0, a, 17, b));
    }

    @Test
    void everyFormat_writeThenRead_isBitIdentical() throws IOException {
        VectorSet set = VectorSet.of("llama", Map.of(3, sample().direction(17), 17, sample().direction(0)));
        for (VectorFormat f : VectorFormat.values()) {
            Path p = dir.resolve("v" + f.extension());
            VectorFiles.write(set, p);
            VectorSet back = VectorFiles.read(p);
            assertThat(back.sameVectors(set)).as(f.name()).isTrue();
            assertThat(back.source()).isEqualTo(p.toString());
        }
    }

    @Test
    void safetensorsAndJson_keepLayerZero() {
        VectorSet set = sample();
        assertThat(SafetensorsVectors.read(SafetensorsVectors.write(set), "v.safetensors").sameVectors(set)).isTrue();
        assertThat(JsonVectors.read(JsonVectors.write(set), "v.json").sameVectors(set)).isTrue();
    }

    @Test
    void unknownExtension_isSniffedFromContent() throws IOException {
        VectorSet set = VectorSet.of("qwen2", Map.of(4, new float[] {1f, 2f}));
        for (VectorFormat f : VectorFormat.values()) {
            Path p = dir.resolve("vector-" + f.name() + ".bin");
            Files.write(p, VectorFiles.encode(set, f));
            assertThat(VectorFiles.read(p).sameVectors(set)).as(f.name()).isTrue();
        }
    }

    @Test
    void safetensorsWriter_followsTheFormat_headerLengthJsonAndData() {
        byte[] bytes = SafetensorsVectors.write(VectorSet.of("llama", Map.of(2, new float[] {1.5f, -2f})));
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = in.getLong(0);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{").contains("\"layers.2\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}")
                .contains("\"model_hint\":\"llama\"");
        assertThat(n % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + n + 8);
        assertThat(in.getFloat((int) (8 + n))).isEqualTo(1.5f);
        assertThat(in.getFloat((int) (8 + n + 4))).isEqualTo(-2f);
    }

    @Test
    void safetensors_readsF16AndBf16() {
        // 1.0, -2.5 and 65504 (max half) in F16; 1.0, -2.5, 3.0 in BF16
        ByteBuffer f16 = le(6).putShort((short) 0x3C00).putShort((short) 0xC100).putShort((short) 0x7BFF);
        ByteBuffer bf16 = le(6).putShort((short) 0x3F80).putShort((short) 0xC020).putShort((short) 0x4040);
        byte[] bytes = safetensors("{\"layers.1\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"layers.2\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]}}", f16.array(), bf16.array());

        VectorSet set = SafetensorsVectors.read(bytes, "h.safetensors");

        assertThat(set.direction(1)).containsExactly(1f, -2.5f, 65504f);
        assertThat(set.direction(2)).containsExactly(1f, -2.5f, 3f);
        assertThat(set.modelHint()).isEmpty();
    }

    @Test
    void halfToFloat_handlesSubnormalsInfinityAndNan() {
        assertThat(SafetensorsVectors.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(SafetensorsVectors.halfToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat(SafetensorsVectors.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(SafetensorsVectors.halfToFloat((short) 0x7E00)).isNaN();
    }

    @Test
    void brokenSafetensors_getSpecificErrors() {
        String file = "v.safetensors";
        assertThatThrownBy(() -> SafetensorsVectors.read(new byte[5], file))
                .hasMessage(file + ": header: truncated: 5 bytes, a safetensors file starts with an 8-byte header length");
        byte[] good = SafetensorsVectors.write(VectorSet.of("llama", Map.of(2, new float[] {1f, 2f})));
        assertThatThrownBy(() -> SafetensorsVectors.read(java.util.Arrays.copyOf(good, 20), file))
                .hasMessageStartingWith(file + ": header: declared header length");
        assertThatThrownBy(() -> SafetensorsVectors.read(java.util.Arrays.copyOf(good, good.length - 3), file))
                .hasMessageStartingWith(file + ": tensor layers.2: truncated tensor data");
        assertThatThrownBy(() -> SafetensorsVectors.read(safetensors("{\"layers.x\":{}}"), file))
                .hasMessageStartingWith(file + ": tensor layers.x: name must be layers.L");
        assertThatThrownBy(() -> SafetensorsVectors.read(
                safetensors("{\"layers.1\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), file))
                .hasMessageStartingWith(file + ": tensor layers.1: dtype 'I8' is not supported");
        assertThatThrownBy(() -> SafetensorsVectors.read(safetensors("{\"layers.1\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]},\"layers.01\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                new byte[8]), file))
                .hasMessageStartingWith(file + ": tensor layers.01: duplicate layer 1");
        assertThatThrownBy(() -> SafetensorsVectors.read(safetensors("{\"layers.1\": 3, \"layers.1\": 4}"), file))
                .hasMessageStartingWith(file + ": header: not valid JSON: Duplicate field 'layers.1'");
    }

    @Test
    void brokenJson_getSpecificErrors() {
        String file = "v.json";
        assertThatThrownBy(() -> read("{\"layers\": {\"3\": [1, \"a\"]}}", file))
                .hasMessage(file + ": layers.3[1]: is not a number: \"a\"");
        assertThatThrownBy(() -> read("{\"layers\": {}}", file)).hasMessageStartingWith(file + ": layers: missing or empty");
        assertThatThrownBy(() -> read("{\"layers\": {\"-1\": [1]}}", file))
                .hasMessageStartingWith(file + ": layers.-1: key is not a non-negative layer number");
        assertThatThrownBy(() -> read("{\"layers\": {\"1\": [1], \"01\": [2]}}", file))
                .hasMessageStartingWith(file + ": layers.01: duplicate layer 1");
        assertThatThrownBy(() -> read("{\"layers\": {\"1\": [1, 2], \"2\": [2]}}", file))
                .hasMessageStartingWith(file + ": layers.2: length 1 differs");
        assertThatThrownBy(() -> read("[1, 2]", file)).hasMessageStartingWith(file + ": document: must be a JSON object");
        assertThatThrownBy(() -> read("{\"layers\": ", file)).hasMessageStartingWith(file + ": document: not valid JSON");
        assertThatThrownBy(() -> read("{\"format\": \"other\", \"layers\": {\"1\": [1]}}", file))
                .hasMessageStartingWith(file + ": format: 'other' is not");
    }

    @Test
    void missingFile_isAFileFault() {
        Path p = dir.resolve("absent.gguf");
        assertThatThrownBy(() -> VectorFiles.read(p)).isInstanceOf(VectorFileException.class)
                .hasMessageStartingWith(p + ": file: cannot be read");
    }

    private static VectorSet read(String json, String file) {
        return JsonVectors.read(json.getBytes(StandardCharsets.UTF_8), file);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] safetensors(String header, byte[]... data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int total = 8 + h.length;
        for (byte[] d : data) {
            total += d.length;
        }
        ByteBuffer b = le(total).putLong(h.length).put(h);
        for (byte[] d : data) {
            b.put(d);
        }
        return b.array();
    }
}
