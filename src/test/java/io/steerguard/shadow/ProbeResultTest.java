package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.steerguard.stats.Wilson;

class ProbeResultTest {

    @Test
    void probeUplift_isTheSteeredMinusUnsteeredAsr_withNewcombeInterval() {
        ProbeResult r = new ProbeResult("p", java.time.Instant.EPOCH, 80, 56, 48);

        assertThat(r.asrSteered(0.95).value()).isEqualTo(0.7);
        assertThat(r.asrUnsteered(0.95).value()).isEqualTo(0.6);
        assertThat(r.uplift(0.95).value()).isCloseTo(0.1, within(1e-12));
        assertThat(r.uplift(0.95).interval()).isEqualTo(Wilson.difference(56, 80, 48, 80, 0.95).interval());
        assertThat(r.uplift(0.95).n()).isEqualTo(80);
    }
}
