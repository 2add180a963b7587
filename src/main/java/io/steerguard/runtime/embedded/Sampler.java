package io.steerguard.runtime.embedded;

import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the next token from a row of logits: argmax when temperature is 0, otherwise a draw from
 * softmax(logits / T) restricted first to the {@code top_k} most likely tokens, then to the
 * nucleus, the smallest set of most likely tokens whose mass reaches {@code top_p}. Draws come from
 * a {@link SplittableRandom} seeded from {@code seed}, so a seeded sequence is reproducible. One
 * sampler per sequence; not thread-safe.
 */
public final class Sampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;
    private double[] weights = new double[0];
    /** Penalties and bias, or {@code null} when the request sets none (the logits are used as they are). */
    private final LogitAdjustments adjustments;

    public Sampler(SamplingParams params) {
        Objects.requireNonNull(params, "params");
        this.adjustments = params.adjustsLogits() ? new LogitAdjustments(params) : null;
        this.temperature = params.temperature();
        this.topK = params.topK();
        this.topP = params.topP();
        long seed = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
        this.random = new SplittableRandom(seed);
    }

    /**
     * The sampled token id. With penalties or {@code logit_bias} set, they shift a copy of the logits
     * first ({@link LogitAdjustments}), and the chosen token is counted for the next step's penalties.
     */
    public int sample(float[] logits) {
        if (adjustments == null) {
            return sampleAdjusted(logits);
        }
        int token = sampleAdjusted(adjustments.apply(logits));
        adjustments.generated(token);
        return token;
    }

    private int sampleAdjusted(float[] logits) {
        int n = requireRow(logits);
        float max = max(logits);
        if (temperature == 0) {
            return argmax(logits, max);
        }
        // w_i = exp((l_i - max) / T): the softmax numerators, shifted so the largest is exp(0) = 1
        // and nothing overflows; normalising by their sum is deferred to the draw.
        if (weights.length != n) {
            weights = new double[n];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.exp((logits[i] - max) / temperature);
            weights[i] = w;
            total += w;
        }
        int[] candidates;
        double base;
        if (topK > 0 && topK < n) {
            candidates = TokenRanking.topK(weights, topK);
            base = 0;
            for (int id : candidates) {
                base += weights[id];
            }
        } else if (topP < 1) {
            candidates = TokenRanking.nucleusPool(weights, total, topP);
            base = total;
        } else {
            return draw(total, n);
        }
        // Top-p applies to what survived top-k, renormalised: keep the shortest heaviest-first
        // prefix whose mass reaches top_p of that base.
        int kept = candidates.length;
        double mass = 0;
        for (int i = 0; i < candidates.length; i++) {
            mass += weights[candidates[i]];
            if (topP < 1 && mass >= topP * base) {
                kept = i + 1;
                break;
            }
        }
        double u = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            u -= weights[candidates[i]];
            if (u < 0) {
                return candidates[i];
            }
        }
        return candidates[kept - 1];
    }

    /**
     * log softmax(logits)[tokenId] of the model's own distribution, before temperature and
     * filtering, which is what OpenAI-compatible servers report as a token's logprob:
     * {@code l_t - max - log(sum_j exp(l_j - max))}.
     */
    public double logProb(float[] logits, int tokenId) {
        int n = requireRow(logits);
        Objects.checkIndex(tokenId, n);
        float max = max(logits);
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp((double) l - max);
        }
        return ((double) logits[tokenId] - max) - Math.log(sum);
    }

    private int draw(double total, int n) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        // Rounding left u a hair above zero: the last token with any weight.
        for (int i = n - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return n - 1;
    }

    private static int requireRow(float[] logits) {
        Objects.requireNonNull(logits, "logits");
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must not be empty");
        }
        return logits.length;
    }

    /** The largest logit; NaN or no finite value is a fault in the forward pass, not a request error. */
    private static float max(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            if (Float.isNaN(l)) {
                throw new RuntimeFault(RuntimeFault.Kind.INTERNAL, "logits contain NaN");
            }
            max = Math.max(max, l);
        }
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            throw new RuntimeFault(RuntimeFault.Kind.INTERNAL, "logits have no finite maximum: " + max);
        }
        return max;
    }

    /** The first index holding the maximum, so ties resolve to the lowest id. */
    private static int argmax(float[] logits, float max) {
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] == max) {
                return i;
            }
        }
        throw new AssertionError("max not found: " + Arrays.toString(logits));
    }
}
