package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.SamplingParams;

/**
 * presence_penalty, frequency_penalty and logit_bias in the embedded sampler, with OpenAI's
 * definition: l'[t] = l[t] + bias[t] - count[t] * frequency - (count[t] > 0) * presence.
 */
class SamplerPenaltiesTest {

    private static SamplingParams greedy(double presence, double frequency, Map<Integer, Double> bias) {
        return new SamplingParams(16, 0, 1, 0, null, List.of(), false, 1, presence, frequency, bias);
    }

    @Test
    void logitBias_movesTheGreedyChoice_andMinus100BansAToken() {
        float[] logits = {5f, 4f, 1f};
        assertThat(new Sampler(greedy(0, 0, Map.of(1, 1.5))).sample(logits)).isEqualTo(1);
        assertThat(new Sampler(greedy(0, 0, Map.of(0, -100.0))).sample(logits)).isEqualTo(1);
        assertThat(logits).as("the caller's row is untouched").containsExactly(5f, 4f, 1f);
    }

    @Test
    void presencePenalty_subtractsOncePerSeenToken_howeverOftenItWasSeen() {
        // token 0 leads by 0.9: after it is generated once, a presence penalty of 1 lets token 1 win,
        // and generating token 1 once evens the field again (both penalised by 1)
        Sampler s = new Sampler(greedy(1.0, 0, Map.of()));
        float[] logits = {3.0f, 2.1f, 0f};
        assertThat(s.sample(logits)).isEqualTo(0);
        assertThat(s.sample(logits)).isEqualTo(1);
        assertThat(s.sample(logits)).as("both seen once: 2.0 vs 1.1, token 0 again").isEqualTo(0);
        assertThat(s.sample(logits)).as("presence does not grow with repeats: 2.0 vs 1.1").isEqualTo(0);
    }

    @Test
    void frequencyPenalty_subtractsCountTimesPenalty() {
        // token 0 leads by 1.5; a frequency penalty of 1 lets token 1 win after token 0 appeared twice
        Sampler s = new Sampler(greedy(0, 1.0, Map.of()));
        float[] logits = {3.5f, 2.0f, 0f};
        assertThat(s.sample(logits)).isEqualTo(0); // 3.5 vs 2.0
        assertThat(s.sample(logits)).isEqualTo(0); // 2.5 vs 2.0
        assertThat(s.sample(logits)).isEqualTo(1); // 1.5 vs 2.0
    }

    @Test
    void negativePenalties_favourRepeats() {
        Sampler s = new Sampler(greedy(-2.0, 0, Map.of()));
        float[] first = {3f, 2.5f};
        assertThat(s.sample(first)).isEqualTo(0);
        float[] flipped = {2.5f, 3f};
        assertThat(s.sample(flipped)).as("2.5 + 2 beats 3").isEqualTo(0);
    }

    @Test
    void withoutPenaltiesOrBias_theLogitsAreUsedAsTheyAre() {
        SamplingParams plain = new SamplingParams(16, 0.8, 0.9, 0, 7L, List.of(), false);
        Sampler a = new Sampler(plain);
        Sampler b = new Sampler(new SamplingParams(16, 0.8, 0.9, 0, 7L, List.of(), false, 1, 0, 0, Map.of()));
        float[] logits = {1f, 0.5f, 0.2f, 0.9f};
        for (int i = 0; i < 50; i++) {
            assertThat(a.sample(logits)).isEqualTo(b.sample(logits));
        }
    }
}
