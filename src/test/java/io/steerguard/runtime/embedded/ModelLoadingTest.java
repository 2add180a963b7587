package io.steerguard.runtime.embedded;

import ai.djl.Device;
import io.steerguard.runtime.SteeringSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoadingTest {

    @TempDir
    Path tmp;

    @Test
    void shardedModel_givesTheSameLogitsAsTheSingleFile() {
        TinyModels.Spec spec = TinyModels.Spec.of(ModelConfig.Family.MISTRAL, TensorType.BF16);
        Path single = TinyModels.write(tmp.resolve("single"), spec);
        Path sharded = TinyModels.write(tmp.resolve("sharded"), spec.withShards(3));
        int[] prompt = TransformerDifferentialTest.randomTokens(9, 97, 1);
        float[] a, b;
        try (Transformer m = Transformer.load(single, Device.cpu(), 1, 32)) {
            a = m.forward(List.of(TransformerDifferentialTest.prefill(0, prompt, 9))).logits()[0];
        }
        try (Transformer m = Transformer.load(sharded, Device.cpu(), 1, 32)) {
            b = m.forward(List.of(TransformerDifferentialTest.prefill(0, prompt, 9))).logits()[0];
        }
        assertThat(b).isEqualTo(a);
    }

    @Test
    void missingLayerTensor_failsNamingTheFolderAndTensor() throws IOException {
        Path dir = TinyModels.write(tmp.resolve("short"), TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.F32));
        String config = Files.readString(dir.resolve("config.json")).replace("\"num_hidden_layers\" : 3", "\"num_hidden_layers\" : 4");
        Files.writeString(dir.resolve("config.json"), config);
        assertThatThrownBy(() -> Transformer.load(dir, Device.cpu(), 1, 32))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("model.layers.3.self_attn.q_proj.weight");
    }

    @Test
    void untiedModelWithoutLmHead_failsNamingLmHead() throws IOException {
        Path dir = tmp.resolve("nohead");
        TinyModels.Spec spec = TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.F16).withTied(true);
        TinyModels.write(dir, spec);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"tie_word_embeddings\" : true", "\"tie_word_embeddings\" : false"));
        assertThatThrownBy(() -> Transformer.load(dir, Device.cpu(), 1, 32)).hasMessageContaining("lm_head.weight");
    }

    @Test
    void forwardSteps_leaveNoArraysBehind() {
        Path dir = TinyModels.write(tmp.resolve("leak"), TinyModels.Spec.of(ModelConfig.Family.QWEN2, TensorType.F32));
        try (Transformer m = Transformer.load(dir, Device.cpu(), 2, 32)) {
            SteeringSpec steer = SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, new float[48]), 1.0));
            int[] prompt = TransformerDifferentialTest.randomTokens(5, 97, 2);
            m.forward(List.of(new StepSequence(0, prompt, 0, 5, steer, List.of(1))));
            int before = m.liveArrays();
            for (int i = 0; i < 5; i++) {
                m.forward(List.of(new StepSequence(0, new int[]{3}, 5 + i, 5, steer, List.of()),
                        new StepSequence(1, Arrays.copyOf(prompt, 4), 0, 4, SteeringSpec.none(), List.of(0))));
            }
            m.cache().move(1, 0, 4);
            assertThat(m.liveArrays()).isEqualTo(before);
        }
    }
}
