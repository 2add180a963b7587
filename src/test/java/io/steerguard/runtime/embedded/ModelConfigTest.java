package io.steerguard.runtime.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelConfigTest {

    @TempDir
    Path tmp;

    private Path config(String json) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m" + System.nanoTime()));
        Files.writeString(dir.resolve("config.json"), json);
        return dir;
    }

    @Test
    void llama3Config_isReadWithGqaRopeScalingAndTiedEmbeddings() throws IOException {
        ModelConfig c = ModelConfig.load(config("""
                {"architectures":["LlamaForCausalLM"],"hidden_size":2048,"intermediate_size":8192,
                 "num_hidden_layers":16,"num_attention_heads":32,"num_key_value_heads":8,"head_dim":64,
                 "vocab_size":128256,"rms_norm_eps":1e-05,"rope_theta":500000.0,"tie_word_embeddings":true,
                 "max_position_embeddings":131072,"hidden_act":"silu",
                 "rope_scaling":{"factor":32.0,"high_freq_factor":4.0,"low_freq_factor":1.0,
                                 "original_max_position_embeddings":8192,"rope_type":"llama3"}}"""));
        assertThat(c.family()).isEqualTo(ModelConfig.Family.LLAMA);
        assertThat(c.groupSize()).isEqualTo(4);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.qkvBias()).isFalse();
        assertThat(c.ropeScaling().factor()).isEqualTo(32.0);
        double[] inv = c.ropeInverseFrequencies();
        // the highest frequency (wavelength 2*pi < 8192/4) is kept; the lowest is divided by 32
        assertThat(inv[0]).isEqualTo(1.0);
        assertThat(inv[31]).isCloseTo(Math.pow(500000.0, -62.0 / 64) / 32, within(1e-15));
    }

    @Test
    void qwen2Config_hasQkvBias_andDefaultsHeadDimAndKvHeads() throws IOException {
        ModelConfig c = ModelConfig.load(config("""
                {"architectures":["Qwen2ForCausalLM"],"hidden_size":896,"intermediate_size":4864,
                 "num_hidden_layers":24,"num_attention_heads":14,"vocab_size":151936}"""));
        assertThat(c.qkvBias()).isTrue();
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.numKvHeads()).isEqualTo(14);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.slidingWindow()).isZero();
    }

    @Test
    void unknownArchitecture_isRejectedNamingFolderAndArchitecture() throws IOException {
        Path dir = config("""
                {"architectures":["GPT2LMHeadModel"],"hidden_size":8}""");
        assertThatThrownBy(() -> ModelConfig.load(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("GPT2LMHeadModel");
    }

    @Test
    void missingFieldsAndBadShapes_areRejectedWithTheFieldName() throws IOException {
        assertThatThrownBy(() -> ModelConfig.load(config("""
                {"architectures":["MistralForCausalLM"],"hidden_size":64,"num_attention_heads":4,
                 "num_hidden_layers":2,"vocab_size":10}""")))
                .hasMessageContaining("intermediate_size");
        assertThatThrownBy(() -> ModelConfig.load(config("""
                {"architectures":["LlamaForCausalLM"],"hidden_size":64,"intermediate_size":8,"num_attention_heads":4,
                 "num_key_value_heads":3,"num_hidden_layers":2,"vocab_size":10}""")))
                .hasMessageContaining("num_key_value_heads");
        assertThatThrownBy(() -> ModelConfig.load(config("""
                {"architectures":["LlamaForCausalLM"],"hidden_size":64,"intermediate_size":8,"num_attention_heads":4,
                 "num_hidden_layers":2,"vocab_size":10,"rope_scaling":{"type":"yarn","factor":4}}""")))
                .hasMessageContaining("yarn");
        assertThatThrownBy(() -> ModelConfig.load(tmp)).hasMessageContaining("missing config.json");
    }
}
