package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.steering.VectorFileException;

/** Which layer of a refusal-direction file the activation tier projects on. */
class ActivationSetupsTest {

    @Test
    void layerNamedInTheMetadata_wins() {
        assertThat(ActivationSetups.chooseLayer(List.of(0, 1, 2, 3), "3", 4, "f")).isEqualTo(3);
    }

    @Test
    void withoutAName_theFilesLayerNearestTheModelsMiddle_isUsed() {
        assertThat(ActivationSetups.chooseLayer(List.of(0, 1, 2, 3), null, 4, "f")).isEqualTo(2);
        assertThat(ActivationSetups.chooseLayer(List.of(0, 5, 9, 30), null, 32, "f")).isEqualTo(9);
        assertThat(ActivationSetups.chooseLayer(List.of(1), null, 32, "f")).isEqualTo(1);
    }

    @Test
    void aTie_goesToTheLowerLayer() {
        assertThat(ActivationSetups.chooseLayer(List.of(1, 3), null, 4, "f")).isEqualTo(1);
    }

    @Test
    void aNamedLayerWithoutDirection_orOutsideTheModel_isRejectedNamingTheFile() {
        assertThatThrownBy(() -> ActivationSetups.chooseLayer(List.of(1, 2), "3", 4, "rd.safetensors"))
                .isInstanceOf(VectorFileException.class).hasMessageContaining("rd.safetensors")
                .hasMessageContaining("metadata layer");
        assertThatThrownBy(() -> ActivationSetups.chooseLayer(List.of(1, 2), "two", 4, "rd.safetensors"))
                .isInstanceOf(VectorFileException.class).hasMessageContaining("not a layer number");
        assertThatThrownBy(() -> ActivationSetups.chooseLayer(List.of(6), null, 4, "rd.safetensors"))
                .isInstanceOf(VectorFileException.class).hasMessageContaining("layers 0..3");
    }
}
