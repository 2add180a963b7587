package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.fuzz.Fuzz;

/**
 * Vector files come from operators' disks and other tools' exports: every mutated GGUF,
 * safetensors or JSON vector file reads as a vector set or fails with a
 * {@link VectorFileException} naming file and field — never with another exception, an
 * allocation sized by a corrupt header, or a hang.
 */
class VectorFileFuzzTest {

    private static final List<String> DICTIONARY = List.of("GGUF", "direction.", "controlvector",
            "general.architecture", "controlvector.layer_count", "controlvector.model_hint", "{\"__metadata__\":",
            "\"dtype\":\"F32\"", "\"dtype\":\"F16\"", "\"shape\":[", "\"data_offsets\":[", "\"layers\":{",
            "\"format\":", "\"modelHint\":", "1e39", "NaN", "-0.0", "[]", "{}");

    @Test
    void mutatedVectorFiles_readOrFailWithFileAndField() {
        Fuzz.Report report = Fuzz.run("vector-file", Fuzz.corpus("vector-file"), DICTIONARY, input -> {
            try {
                VectorSet set = VectorFiles.read(input, "fuzz-input");
                assertThat(set.layers()).isNotEmpty();
                return Fuzz.Outcome.VALID;
            } catch (VectorFileException e) {
                assertThat(e.getMessage()).startsWith("fuzz-input: ");
                return Fuzz.clearError(e);
            }
        });
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("the seeds themselves read").isGreaterThanOrEqualTo(3);
    }
}
