package io.steerguard.runtime;

/**
 * Decoding defaults at one level of the precedence chain: a request's own fields, a Runtime
 * document's {@code sampling}, a model folder's {@code generation_config.json}, OpenAI's defaults.
 * A {@code null} field means "not set at this level": the next level decides. Ranges are OpenAI's,
 * as in {@link SamplingParams}.
 *
 * @param temperature 0 means greedy; within [0, 2]
 * @param topP        nucleus mass within (0, 1]
 * @param topK        0 disables top-k; not negative
 */
public record SamplingDefaults(Double temperature, Double topP, Integer topK) {

    /** Nothing set: every field falls through to the next level. */
    public static final SamplingDefaults NONE = new SamplingDefaults(null, null, null);
    /** The last level: OpenAI's documented defaults (temperature 1, top_p 1) and no top-k. */
    public static final SamplingDefaults OPENAI = new SamplingDefaults(1.0, 1.0, 0);

    public SamplingDefaults {
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be within [0, 2], got " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be within (0, 1], got " + topP);
        }
        if (topK != null && topK < 0) {
            throw new IllegalArgumentException("top_k must not be negative, got " + topK);
        }
    }

    /** Each field from this level when set here, else from {@code lower}. */
    public SamplingDefaults orElse(SamplingDefaults lower) {
        return new SamplingDefaults(temperature != null ? temperature : lower.temperature,
                topP != null ? topP : lower.topP, topK != null ? topK : lower.topK);
    }

    public boolean isEmpty() {
        return temperature == null && topP == null && topK == null;
    }

    /**
     * {@code parsed} with its temperature, top_p and top_k taken from this level, then
     * {@code lower}, then {@link #OPENAI}; every other parameter of {@code parsed} is kept.
     */
    public SamplingParams resolve(SamplingParams parsed, SamplingDefaults lower) {
        SamplingDefaults d = orElse(lower).orElse(OPENAI);
        return parsed.withDecoding(d.temperature, d.topP, d.topK);
    }
}
