package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ControlVectorGgufTest {

    private static float[] randomVector(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void writeThenRead_givesIdenticalVectors() {
        Random rnd = new Random(7);
        // hidden size 7: 28 bytes per tensor, so every tensor needs padding to 32
        VectorSet set = VectorSet.of("llama", Map.of(1, randomVector(rnd, 7), 5, randomVector(rnd, 7),
                12, randomVector(rnd, 7)));

        VectorSet back = ControlVectorGguf.read(ControlVectorGguf.write(set), "v.gguf");

        assertThat(back.sameVectors(set)).isTrue();
        assertThat(back.source()).isEqualTo("v.gguf");
        assertThat(back.layers()).containsExactly(1, 5, 12);
    }

    @Test
    void handAssembledFixture_fromTheSpec_readsCorrectly() {
        byte[] bytes = HandBuiltGguf.controlVector("mistral", 2)
                .f32("direction.3", 1f, -2f, 3.5f)
                .f32("direction.7", 0.25f, 0f, -1e-3f)
                .bytes();

        VectorSet set = ControlVectorGguf.read(bytes, "fixture.gguf");

        assertThat(set.modelHint()).isEqualTo("mistral");
        assertThat(set.layers()).containsExactly(3, 7);
        assertThat(set.direction(3)).containsExactly(1f, -2f, 3.5f);
        assertThat(set.direction(7)).containsExactly(0.25f, 0f, -1e-3f);
    }

    @Test
    void handAssembledFixture_withLlamaCppInt32LayerCountAndCustomAlignment_reads() {
        byte[] bytes = new HandBuiltGguf().alignment(64)
                .kvString("general.architecture", "controlvector")
                .kvU32("general.alignment", 64)
                .kvI32("controlvector.layer_count", 1)
                .f32("direction.2", 4f, 5f)
                .bytes();

        VectorSet set = ControlVectorGguf.read(bytes, "cvgen.gguf");

        assertThat(set.modelHint()).isEmpty();
        assertThat(set.direction(2)).containsExactly(4f, 5f);
    }

    @Test
    void writerOutput_hasTheSpecByteLayout_offsetsPaddingAndValueTypes() {
        float[] a = {1, 2, 3, 4, 5};      // 20 bytes -> padded to 32
        float[] b = {-1, -2, -3, -4, -5};
        byte[] bytes = ControlVectorGguf.write(VectorSet.of("qwen2", Map.of(2, a, 9, b)));
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(Arrays.copyOfRange(bytes, 0, 4)).isEqualTo(new byte[] {0x47, 0x47, 0x55, 0x46});
        assertThat(in.getInt(4)).as("version").isEqualTo(3);
        assertThat(in.getLong(8)).as("tensor_count").isEqualTo(2);
        assertThat(in.getLong(16)).as("metadata_kv_count").isEqualTo(3);
        in.position(24);
        assertThat(readString(in)).isEqualTo("general.architecture");
        assertThat(in.getInt()).as("type string").isEqualTo(8);
        assertThat(readString(in)).isEqualTo("controlvector");
        assertThat(readString(in)).isEqualTo("controlvector.model_hint");
        assertThat(in.getInt()).as("type string").isEqualTo(8);
        assertThat(readString(in)).isEqualTo("qwen2");
        assertThat(readString(in)).isEqualTo("controlvector.layer_count");
        assertThat(in.getInt()).as("type uint32").isEqualTo(4);
        assertThat(in.getInt()).as("layer_count").isEqualTo(2);

        assertThat(readString(in)).isEqualTo("direction.2");
        assertThat(in.getInt()).as("n_dims").isEqualTo(1);
        assertThat(in.getLong()).as("ne[0]").isEqualTo(5);
        assertThat(in.getInt()).as("ggml type F32").isEqualTo(0);
        assertThat(in.getLong()).as("offset of first tensor").isEqualTo(0);
        assertThat(readString(in)).isEqualTo("direction.9");
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.getLong()).isEqualTo(5);
        assertThat(in.getInt()).isEqualTo(0);
        assertThat(in.getLong()).as("offset = padded size of the first tensor").isEqualTo(32);

        int endOfInfos = in.position();
        int dataStart = (endOfInfos + 31) / 32 * 32;
        for (int i = endOfInfos; i < dataStart; i++) {
            assertThat(bytes[i]).as("header padding byte %d", i).isZero();
        }
        assertThat(bytes.length).as("data section holds both tensors with trailing padding")
                .isEqualTo(dataStart + 32 + 32);
        for (int i = 0; i < 5; i++) {
            assertThat(in.getFloat(dataStart + 4 * i)).isEqualTo(a[i]);
            assertThat(in.getFloat(dataStart + 32 + 4 * i)).isEqualTo(b[i]);
        }
        for (int i = dataStart + 20; i < dataStart + 32; i++) {
            assertThat(bytes[i]).as("tensor padding byte %d", i).isZero();
        }
    }

    @Test
    void writingLayerZero_isRefused_becauseGgufCannotExpressIt() {
        VectorSet set = VectorSet.of("llama", Map.of(0, new float[] {1f}));
        assertThatThrownBy(() -> ControlVectorGguf.write(set))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 cannot be written");
    }

    private static String readString(ByteBuffer in) {
        byte[] b = new byte[(int) in.getLong()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** EasySteer's export names layer 0 {@code direction.0} (after block 0, as every other layer). */
    @Test
    void easySteerExport_withDirectionZero_readsAsLayerZero() {
        byte[] bytes = HandBuiltGguf.controlVector("unknown", 2).f32("direction.0", 1f, 2f).f32("direction.5", 3f, 4f)
                .bytes();
        VectorSet set = ControlVectorGguf.read(bytes, "easysteer.gguf");
        org.assertj.core.api.Assertions.assertThat(set.directions().keySet()).containsExactly(0, 5);
        org.assertj.core.api.Assertions.assertThat(set.directions().get(0)).containsExactly(1f, 2f);
    }
}
