package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Every way a control-vector file can be broken gets its own error naming file and field. */
class ControlVectorGgufMalformedTest {

    private static final String FILE = "vectors/broken.gguf";

    private static byte[] good() {
        return HandBuiltGguf.controlVector("llama", 2).f32("direction.1", 1f, 2f, 3f).f32("direction.2", 4f, 5f, 6f)
                .bytes();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> reading(byte[] bytes, String field) {
        return assertThatThrownBy(() -> ControlVectorGguf.read(bytes, FILE))
                .isInstanceOf(VectorFileException.class)
                .hasMessageStartingWith(FILE + ": " + field + ": ")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((VectorFileException) e).field())
                        .isEqualTo(field));
    }

    @Test
    void badMagic_isNotAGgufFile() {
        reading(new HandBuiltGguf().magic("GGML").kvString("general.architecture", "controlvector").bytes(),
                "header.magic").hasMessageContaining("not a GGUF file");
    }

    @Test
    void emptyFile_isNotAGgufFile() {
        reading(new byte[0], "header.magic").hasMessageContaining("not a GGUF file");
    }

    @Test
    void unsupportedVersion_isNamed() {
        reading(HandBuiltGguf.controlVector("llama", 1).version(1).f32("direction.1", 1f).bytes(), "header.version")
                .hasMessageContaining("unsupported GGUF version 1");
        reading(HandBuiltGguf.controlVector("llama", 1).version(4).f32("direction.1", 1f).bytes(), "header.version")
                .hasMessageContaining("unsupported GGUF version 4");
    }

    @Test
    void truncatedHeader_isTruncated() {
        reading(Arrays.copyOf(good(), 12), "header.tensor_count").hasMessageContaining("truncated");
    }

    @Test
    void truncatedMetadata_namesTheKey() {
        // cut inside the first value ("controlvector" string of general.architecture)
        reading(Arrays.copyOf(good(), 24 + 8 + 20 + 4 + 8 + 3), "metadata general.architecture")
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedTensorData_namesTheTensor() {
        byte[] bytes = good();
        // the last tensor's 12 data bytes start 32 bytes before the end; keep only 8 of them
        reading(Arrays.copyOf(bytes, bytes.length - 32 + 8), "tensor direction.2")
                .hasMessageContaining("truncated tensor data");
    }

    @Test
    void wrongTensorType_isRejected_asNotF32() {
        byte[] f16 = {0, 0x3C, 0, 0x40}; // 1.0, 2.0 in half precision
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1)
                .tensor("direction.1", new long[] {2}, GgufTensor.F16, 0, f16).bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("type F16, control vectors must be F32");
    }

    @Test
    void quantisedTensorType_isUnsupported() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1)
                .tensor("direction.1", new long[] {32}, 2, 0, new byte[18]).bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("unsupported ggml type 2");
    }


    @Test
    void nonNumericDirectionSuffix_isInvalid() {
        reading(HandBuiltGguf.controlVector("llama", 1).f32("direction.x1", 1f).bytes(), "tensor direction.x1")
                .hasMessageContaining("is not a non-negative integer");
        reading(HandBuiltGguf.controlVector("llama", 1).f32("direction.-3", 1f).bytes(), "tensor direction.-3")
                .hasMessageContaining("is not a non-negative integer");
    }

    @Test
    void foreignTensorName_isRejected() {
        reading(HandBuiltGguf.controlVector("llama", 1).f32("token_embd.weight", 1f).bytes(),
                "tensor token_embd.weight").hasMessageContaining("only direction.N");
    }

    @Test
    void missingLayerCount_isNamed() {
        byte[] bytes = new HandBuiltGguf().kvString("general.architecture", "controlvector")
                .kvString("controlvector.model_hint", "llama").f32("direction.1", 1f).bytes();
        reading(bytes, "metadata controlvector.layer_count").hasMessageContaining("missing");
    }

    @Test
    void wrongArchitecture_isNamed() {
        byte[] bytes = new HandBuiltGguf().kvString("general.architecture", "llama")
                .kvU32("controlvector.layer_count", 1).f32("direction.1", 1f).bytes();
        reading(bytes, "metadata general.architecture").hasMessageContaining("is 'llama', expected 'controlvector'");
    }

    @Test
    void missingArchitecture_isNamed() {
        byte[] bytes = new HandBuiltGguf().kvU32("controlvector.layer_count", 1).f32("direction.1", 1f).bytes();
        reading(bytes, "metadata general.architecture").hasMessageContaining("missing");
    }

    @Test
    void duplicateLayer_isRejected_ratherThanSummedAsLlamaCppDoes() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 2).f32("direction.3", 1f).f32("direction.03", 2f).bytes();
        reading(bytes, "tensor direction.03").hasMessageContaining("duplicate layer 3");
    }

    @Test
    void differingLengths_areRejected() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 2).f32("direction.1", 1f, 2f).f32("direction.2", 1f).bytes();
        reading(bytes, "tensor direction.2").hasMessageContaining("length 1 differs");
    }

    @Test
    void twoDimensionalTensor_isRejected() {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1)
                .tensor("direction.1", new long[] {2, 2}, GgufTensor.F32, 0, d.array()).bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("2 dimensions");
    }

    @Test
    void noTensors_isRejected() {
        reading(HandBuiltGguf.controlVector("llama", 0).bytes(), "tensors").hasMessageContaining("no direction tensors");
    }

    @Test
    void unknownMetadataValueType_isNamed() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1).kvInt("x.odd", 13, 0).f32("direction.1", 1f).bytes();
        reading(bytes, "metadata x.odd").hasMessageContaining("unknown value type 13");
    }

    @Test
    void misalignedTensorOffset_isRejected() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1)
                .tensor("direction.1", new long[] {1}, GgufTensor.F32, 4, new byte[4]).bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("not a multiple of the alignment 32");
    }

    @Test
    void alignmentNotPowerOfTwo_isRejected() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1).kvU32("general.alignment", 24)
                .f32("direction.1", 1f).bytes();
        reading(bytes, "metadata general.alignment").hasMessageContaining("not a power of two");
    }

    @Test
    void absurdTensorCount_isACorruptHeader_notAnAllocation() {
        byte[] bytes = good();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Long.MAX_VALUE / 2);
        reading(bytes, "header.tensor_count").hasMessageContaining("cannot fit");
    }

    @Test
    void emptyTensor_isRejected() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1)
                .tensor("direction.1", new long[] {0}, GgufTensor.F32, 0, new byte[0]).bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("empty tensor");
    }

    @Test
    void overflowingDimensions_areRejected() {
        byte[] bytes = HandBuiltGguf.controlVector("llama", 1).tensor("direction.1",
                new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 4}, GgufTensor.F32, 0, new byte[4])
                .bytes();
        reading(bytes, "tensor direction.1").hasMessageContaining("overflow a byte count");
    }
}
