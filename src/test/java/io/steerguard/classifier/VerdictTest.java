package io.steerguard.classifier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerdictTest {

    @Test
    void scoreOutsideUnitInterval_isRejected_withItsName() {
        assertThatThrownBy(() -> Verdict.refusal(1.2, "lexical")).hasMessageContaining("score must be within [0, 1]");
        assertThatThrownBy(() -> Verdict.refusal(Double.NaN, "lexical")).hasMessageContaining("score");
        assertThatThrownBy(() -> Verdict.compliance(0.1, " ")).hasMessageContaining("method");
    }

    @Test
    void fromScore_refusesAtTheThreshold_andFallbackNamesThePath() {
        assertThat(Verdict.fromScore(0.4, 0.4, "embedding").refused()).isTrue();
        assertThat(Verdict.fromScore(0.39, 0.4, "embedding").refused()).isFalse();
        assertThat(Verdict.refusal(0.9, "embedding").viaFallbackFrom("judge").method()).isEqualTo("judge->embedding");
    }
}
