package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShadowSamplerTest {

    @Test
    void sameRequestId_isAlwaysSampledTheSameWay() {
        for (int i = 0; i < 1000; i++) {
            String id = "req-" + i;
            assertThat(ShadowSampler.sampled(id, 0.3)).isEqualTo(ShadowSampler.sampled(id, 0.3));
        }
    }

    @Test
    void sampledShare_matchesTheRate_over100kIds() {
        for (double rate : new double[] {0.01, 0.1, 0.5, 0.9}) {
            int sampled = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                if (ShadowSampler.sampled(Integer.toHexString(i * 7919), rate)) {
                    sampled++;
                }
            }
            // binomial standard deviation is at most 0.0016 at n = 100k; allow 4 of them
            assertThat((double) sampled / n).as("rate " + rate).isCloseTo(rate, org.assertj.core.data.Offset.offset(0.0064));
        }
    }

    @Test
    void higherRate_keepsEveryIdALowerRateSampled() {
        for (int i = 0; i < 10_000; i++) {
            String id = "r" + i;
            if (ShadowSampler.sampled(id, 0.2)) {
                assertThat(ShadowSampler.sampled(id, 0.5)).isTrue();
            }
        }
    }

    @Test
    void rateZero_neverSamples_andRateOne_alwaysSamples() {
        assertThat(ShadowSampler.sampled("x", 0)).isFalse();
        assertThat(ShadowSampler.sampled("x", 1)).isTrue();
    }
}
