package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steerguard.steering.VectorValidation.HintPolicy;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VectorValidationTest {

    private static final VectorValidation LLAMA = new VectorValidation(4, 8, "llama", HintPolicy.ERROR);

    private static VectorSet set(String source, String hint, int layer, float... v) {
        return new VectorSet(hint, new TreeMap<>(Map.of(layer, v)), source);
    }

    @Test
    void aFittingSet_passesWithoutWarnings() {
        assertThat(LLAMA.validate(set("v.gguf", "llama", 3, 1, 0, 0, 0))).isEmpty();
        assertThat(LLAMA.validate(set("v.gguf", "LLaMA", 7, 1, 0, 0, 0))).as("hint compared case-insensitively").isEmpty();
    }

    @Test
    void wrongHiddenSize_namesFileAndTensor() {
        assertThatThrownBy(() -> LLAMA.validate(set("vectors/json.gguf", "llama", 4, 1, 2)))
                .isInstanceOf(VectorFileException.class)
                .hasMessage("vectors/json.gguf: tensor direction.4: length 2, model hidden size is 4");
        assertThatThrownBy(() -> LLAMA.validate(set("v.safetensors", "llama", 4, 1, 2)))
                .hasMessage("v.safetensors: tensor layers.4: length 2, model hidden size is 4");
        assertThatThrownBy(() -> LLAMA.validate(set("v.json", "llama", 4, 1, 2)))
                .hasMessage("v.json: layers.4: length 2, model hidden size is 4");
    }

    @Test
    void nanAndInfinity_areRejected_withTheComponent() {
        assertThatThrownBy(() -> LLAMA.validate(set("v.gguf", "llama", 2, 1, Float.NaN, 0, 0)))
                .hasMessage("v.gguf: tensor direction.2: component 1 is NaN");
        assertThatThrownBy(() -> LLAMA.validate(set("v.gguf", "llama", 2, 1, 0, 0, Float.NEGATIVE_INFINITY)))
                .hasMessage("v.gguf: tensor direction.2: component 3 is -Infinity");
    }

    @Test
    void zeroNorm_isRejected() {
        assertThatThrownBy(() -> LLAMA.validate(set("v.gguf", "llama", 2, 0, 0, 0, 0)))
                .hasMessage("v.gguf: tensor direction.2: zero norm: the direction is all zeros");
    }

    @Test
    void layerOutOfRange_isRejected() {
        assertThatThrownBy(() -> LLAMA.validate(set("v.gguf", "llama", 8, 1, 0, 0, 0)))
                .hasMessage("v.gguf: tensor direction.8: layer 8 is out of range, the model has 8 layers (0..7)");
    }

    @Test
    void hintMismatch_isAnError_orAWarning_byPolicy() {
        VectorSet mistral = set("v.gguf", "mistral", 1, 1, 0, 0, 0);
        assertThatThrownBy(() -> LLAMA.validate(mistral))
                .hasMessage("v.gguf: metadata controlvector.model_hint: 'mistral' does not match the model 'llama'");

        VectorValidation warn = new VectorValidation(4, 8, "llama", HintPolicy.WARN);
        assertThat(warn.validate(mistral)).extracting(VectorWarning::message)
                .containsExactly("v.gguf: metadata controlvector.model_hint: 'mistral' does not match the model 'llama'");
        assertThat(warn.validate(set("v.json", "", 1, 1, 0, 0, 0))).extracting(VectorWarning::field)
                .containsExactly("modelHint");

        VectorValidation ignore = new VectorValidation(4, 8, "llama", HintPolicy.IGNORE);
        assertThat(ignore.validate(mistral)).isEmpty();
    }
}
