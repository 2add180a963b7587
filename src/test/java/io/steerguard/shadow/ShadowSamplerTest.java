package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ShadowSamplerTest {

    @Test
    void sampledShare_matchesTheRate_over100kDecisions() {
        ShadowSampler sampler = ShadowSampler.seeded(42);
        for (double rate : new double[] {0.01, 0.1, 0.5, 0.9}) {
            int sampled = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                if (sampler.sample(rate)) {
                    sampled++;
                }
            }
            // binomial standard deviation is at most 0.0016 at n = 100k; allow 4 of them
            assertThat((double) sampled / n).as("rate " + rate).isCloseTo(rate, Offset.offset(0.0064));
        }
    }

    @Test
    void sameSeed_givesTheSameDecisions_soTestsAreRepeatable() {
        ShadowSampler a = ShadowSampler.seeded(7);
        ShadowSampler b = ShadowSampler.seeded(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.sample(0.3)).isEqualTo(b.sample(0.3));
        }
    }

    @Test
    void secureSampler_holdsTheRate() {
        ShadowSampler sampler = ShadowSampler.secure();
        int sampled = 0;
        for (int i = 0; i < 20_000; i++) {
            if (sampler.sample(0.25)) {
                sampled++;
            }
        }
        // standard deviation 61 requests; 8 of them: a false alarm is practically impossible
        assertThat(sampled).isBetween(5000 - 490, 5000 + 490);
    }

    @Test
    void rateZero_neverSamples_andRateOne_alwaysSamples() {
        ShadowSampler sampler = ShadowSampler.seeded(1);
        for (int i = 0; i < 100; i++) {
            assertThat(sampler.sample(0)).isFalse();
            assertThat(sampler.sample(1)).isTrue();
        }
    }
}
