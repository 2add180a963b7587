package io.steerguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingDefaultsTest {

    private static final SamplingParams PARSED = new SamplingParams(32, 1.0, 1.0, 0, 7L, List.of("END"), true);

    @Test
    void eachField_comesFromTheFirstLevelThatSetsIt() {
        SamplingDefaults request = new SamplingDefaults(null, 0.5, null);
        SamplingDefaults runtime = new SamplingDefaults(0.2, 0.9, null);
        SamplingParams resolved = request.resolve(PARSED, runtime);
        assertThat(resolved.temperature()).isEqualTo(0.2);
        assertThat(resolved.topP()).isEqualTo(0.5);
        assertThat(resolved.topK()).isZero();
    }

    @Test
    void nothingSetAnywhere_givesOpenAisDefaults_andKeepsTheOtherParameters() {
        SamplingParams resolved = SamplingDefaults.NONE.resolve(new SamplingParams(32, 0.3, 0.4, 5, 7L, List.of("END"),
                true), SamplingDefaults.NONE);
        assertThat(resolved).isEqualTo(new SamplingParams(32, 1.0, 1.0, 0, 7L, List.of("END"), true));
    }

    @Test
    void anExplicitZero_isSetAndNotOmitted() {
        SamplingDefaults request = new SamplingDefaults(0.0, null, 0);
        SamplingParams resolved = request.resolve(PARSED, new SamplingDefaults(0.7, null, 40));
        assertThat(resolved.temperature()).isZero();
        assertThat(resolved.topK()).isZero();
    }

    @Test
    void outOfRangeDefaults_areRejected() {
        assertThatThrownBy(() -> new SamplingDefaults(2.5, null, null)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingDefaults(null, 0.0, null)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new SamplingDefaults(null, null, -1)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> new SamplingDefaults(Double.NaN, null, null)).hasMessageContaining("temperature");
    }

    @Test
    void resolvingDefaults_keepsChoicesPenaltiesAndLogitBias() {
        SamplingParams parsed = new SamplingParams(32, 1.0, 1.0, 0, 7L, List.of(), false, 3, 0.5, -0.25,
                java.util.Map.of(42, -100.0));
        SamplingParams resolved = SamplingDefaults.NONE.resolve(parsed, new SamplingDefaults(0.3, 0.9, 20));
        assertThat(resolved.n()).isEqualTo(3);
        assertThat(resolved.presencePenalty()).isEqualTo(0.5);
        assertThat(resolved.frequencyPenalty()).isEqualTo(-0.25);
        assertThat(resolved.logitBias()).containsEntry(42, -100.0);
        assertThat(resolved.temperature()).isEqualTo(0.3);
    }
}
