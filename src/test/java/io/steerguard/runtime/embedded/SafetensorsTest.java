package io.steerguard.runtime.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {

    @TempDir
    Path tmp;

    @Test
    void everyF16BitPattern_roundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f)))).isTrue();
                continue;
            }
            assertThat(HalfFloats.floatToF16(f) & 0xFFFF).as("half bits %04x", bits).isEqualTo(bits);
        }
    }

    @Test
    void f16Conversion_knowsItsLandmarks_andRoundsToNearestEven() {
        assertThat(HalfFloats.f16ToFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(HalfFloats.f16ToFloat((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1
        assertThat(HalfFloats.floatToF16(1 + 0x1p-11f)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloats.floatToF16(1 + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3C01);
        assertThat(HalfFloats.floatToF16(70000f)).isEqualTo((short) 0x7C00);
    }

    @Test
    void bf16Conversion_keepsTheUpperHalf_andRoundsToNearestEven() {
        assertThat(HalfFloats.bf16ToFloat((short) 0x3F80)).isEqualTo(1.0f);
        assertThat(HalfFloats.floatToBf16(1.0f)).isEqualTo((short) 0x3F80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN)))).isTrue();
    }

    @Test
    void writtenTensors_readBackWithNameShapeTypeAndValues() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", Tensor.f32(new float[]{1.5f, -2f, 3.25f, 0f, 7f, -0.125f}, 2, 3));
        in.put("b.half", new Tensor(TensorType.F16, new long[]{3}, new float[]{0.5f, -1f, 1000f}));
        in.put("c.brain", new Tensor(TensorType.BF16, new long[]{1, 2}, new float[]{2f, -0.75f}));
        Path file = tmp.resolve("t.safetensors");
        Safetensors.write(file, in, Map.of("format", "pt"));

        Map<String, Tensor> out = Safetensors.read(file);
        assertThat(out.keySet()).containsExactly("a", "b.half", "c.brain");
        for (String name : in.keySet()) {
            assertThat(out.get(name).type()).isEqualTo(in.get(name).type());
            assertThat(out.get(name).shape()).isEqualTo(in.get(name).shape());
            assertThat(out.get(name).values()).isEqualTo(in.get(name).values());
        }
        assertThat(SafetensorsFile.open(file).metadata()).containsEntry("format", "pt");
        // header length is a multiple of 8 so the data section is aligned
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(head.getLong() % 8).isZero();
    }

    @Test
    void handWrittenFile_inTheReferenceLayout_isRead() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8)).putFloat(1f).putFloat(-3f);
        Path file = tmp.resolve("hand.safetensors");
        Files.write(file, buf.array());
        assertThat(Safetensors.read(file).get("w").values()).containsExactly(1f, -3f);
    }

    @Test
    void unsupportedDtype_andTruncatedData_areRejectedWithTheTensorName() throws IOException {
        String header = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"short\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,16]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, buf.array());
        SafetensorsFile f = SafetensorsFile.open(file);
        assertThatThrownBy(() -> f.tensor("ids")).hasMessageContaining("'ids'").hasMessageContaining("I64");
        assertThatThrownBy(() -> f.tensor("short")).hasMessageContaining("'short'").hasMessageContaining("need 12");
    }

    @Test
    void shardedModel_isReadThroughItsIndex() throws IOException {
        Path dir = TinyModels.write(tmp.resolve("sharded"),
                TinyModels.Spec.of(ModelConfig.Family.MISTRAL, TensorType.BF16).withShards(3));
        assertThat(Files.exists(dir.resolve("model-00002-of-00003.safetensors"))).isTrue();
        ModelWeightFiles files = ModelWeightFiles.open(dir);
        Tensor expected = TinyModels.tensors(TinyModels.Spec.of(ModelConfig.Family.MISTRAL, TensorType.BF16))
                .get("model.layers.2.mlp.down_proj.weight");
        float[] rounded = expected.values().clone();
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(rounded[i]));
        }
        assertThat(files.load("model.layers.2.mlp.down_proj.weight", 48, 96).values()).isEqualTo(rounded);
    }

    @Test
    void missingOrMisShapedTensor_namesFolderAndTensor() {
        Path dir = TinyModels.write(tmp.resolve("m"), TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.F32));
        ModelWeightFiles files = ModelWeightFiles.open(dir);
        assertThatThrownBy(() -> files.load("model.layers.9.mlp.up_proj.weight", 96, 48))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("model.layers.9.mlp.up_proj.weight");
        assertThatThrownBy(() -> files.load("model.norm.weight", 47))
                .hasMessageContaining("model.norm.weight").hasMessageContaining("[48]").hasMessageContaining("[47]");
        assertThatThrownBy(() -> ModelWeightFiles.open(tmp.resolve("empty")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model.safetensors");
        List.of();
    }
}
