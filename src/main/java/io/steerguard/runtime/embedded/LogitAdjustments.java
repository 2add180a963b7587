package io.steerguard.runtime.embedded;

import io.steerguard.runtime.SamplingParams;

import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI's {@code presence_penalty}, {@code frequency_penalty} and {@code logit_bias} for one
 * sequence. For each vocabulary token {@code t}, with {@code c[t]} the number of times the sequence
 * has generated {@code t} so far (prompt tokens do not count, as in OpenAI's definition and vLLM):
 *
 * <pre>
 *   l'[t] = l[t] + bias[t] - c[t] * frequency_penalty - (c[t] &gt; 0 ? 1 : 0) * presence_penalty
 * </pre>
 *
 * The presence penalty is subtracted once for every token seen at least once; the frequency
 * penalty grows with each repetition. Positive penalties make repeats less likely, negative ones
 * more likely; a bias of -100 in practice bans a token and +100 forces it. The adjusted logits feed
 * temperature, top-k and top-p; reported log-probabilities stay the model's own.
 */
final class LogitAdjustments {

    private final double presence;
    private final double frequency;
    private final int[] biasIds;
    private final float[] biasValues;
    /** Generated token to count; only tokens that occurred, so the work per step is O(distinct tokens). */
    private final Map<Integer, Integer> counts = new HashMap<>();
    private float[] scratch = new float[0];

    LogitAdjustments(SamplingParams params) {
        this.presence = params.presencePenalty();
        this.frequency = params.frequencyPenalty();
        this.biasIds = new int[params.logitBias().size()];
        this.biasValues = new float[biasIds.length];
        int i = 0;
        for (Map.Entry<Integer, Double> e : params.logitBias().entrySet()) {
            biasIds[i] = e.getKey();
            biasValues[i] = e.getValue().floatValue();
            i++;
        }
    }

    /** The adjusted logits, in a buffer of this object's (the caller's row is left untouched). */
    float[] apply(float[] logits) {
        if (scratch.length != logits.length) {
            scratch = new float[logits.length];
        }
        System.arraycopy(logits, 0, scratch, 0, logits.length);
        for (int i = 0; i < biasIds.length; i++) {
            if (biasIds[i] < scratch.length) {
                scratch[biasIds[i]] += biasValues[i];
            }
        }
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            int t = e.getKey();
            if (t < scratch.length) {
                scratch[t] -= (float) (e.getValue() * frequency + presence);
            }
        }
        return scratch;
    }

    /** Counts a generated token for the following steps. */
    void generated(int token) {
        counts.merge(token, 1, Integer::sum);
    }
}
