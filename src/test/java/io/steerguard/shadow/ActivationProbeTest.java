package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.Introspection;

/** Reading a capture into the activation tier's numbers, on hand-made distributions. */
class ActivationProbeTest {

    /** log-probs of a 4-token vocabulary with p = (0.1, 0.2, 0.3, 0.4). */
    private static final float[] LOG_PROBS = {(float) Math.log(0.1), (float) Math.log(0.2), (float) Math.log(0.3),
            (float) Math.log(0.4)};

    @Test
    void refusalMassOfTheListedTokens_becomesTheScore_andItsLogOdds() {
        ActivationSetup setup = new ActivationSetup(1, new float[] {0, 2}, new int[] {1, 3}, 0.5);
        var captured = new GenerationEvent.Captured(Map.of(1, new float[] {5f, -3f}), LOG_PROBS);

        ActivationReading reading = ActivationProbe.read(setup, captured).orElseThrow();
        // p_ref = 0.2 + 0.4
        assertThat(reading.refusalProbability()).isCloseTo(0.6, within(1e-6));
        assertThat(reading.refusalLogOdds()).isCloseTo(Math.log(0.6 / 0.4), within(1e-6));
        assertThat(reading.verdict().orElseThrow().refused()).isTrue();
        // ⟨(5, -3), (0, 1)⟩ with the direction normalised
        assertThat(reading.projection()).isCloseTo(-3, within(1e-9));
    }

    @Test
    void threshold_isOnTheProbability() {
        ActivationSetup strict = new ActivationSetup(-1, null, new int[] {1, 3}, 0.7);
        assertThat(ActivationProbe.read(strict, new GenerationEvent.Captured(Map.of(), LOG_PROBS)).orElseThrow()
                .verdict().orElseThrow().refused()).isFalse();
    }

    @Test
    void directionWithoutTokenIds_measuresTheProjection_butCastsNoVote() {
        ActivationSetup setup = new ActivationSetup(0, new float[] {1, 0}, new int[0], 0.5);
        assertThat(setup.introspection()).isEqualTo(new Introspection(List.of(0), false));
        ActivationReading reading = ActivationProbe.read(setup,
                new GenerationEvent.Captured(Map.of(0, new float[] {2f, 9f}), null)).orElseThrow();
        assertThat(reading.projection()).isEqualTo(2.0);
        assertThat(reading.verdict()).isEmpty();
        assertThat(reading.refusalProbability()).isNaN();
    }

    @Test
    void noCapture_readsNothing() {
        ActivationSetup setup = new ActivationSetup(-1, null, new int[] {1}, 0.5);
        assertThat(setup.introspection()).isEqualTo(new Introspection(List.of(), true));
        assertThat(ActivationProbe.read(setup, null)).isEmpty();
    }

    @Test
    void setupWithoutDirectionOrTokens_isRejected() {
        assertThatThrownBy(() -> new ActivationSetup(-1, null, new int[0], 0.5))
                .hasMessageContaining("refusalDirection or refusalTokenIds");
        assertThatThrownBy(() -> new ActivationSetup(2, null, new int[] {1}, 0.5)).hasMessageContaining("layer");
        assertThatThrownBy(() -> new ActivationSetup(-1, null, new int[] {1}, 1.0)).hasMessageContaining("threshold");
    }
}
