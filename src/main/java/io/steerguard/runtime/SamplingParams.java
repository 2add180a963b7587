package io.steerguard.runtime;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decoding parameters, validated with OpenAI's ranges.
 *
 * @param maxTokens   upper bound on generated tokens, at least 1
 * @param temperature 0 means greedy; within [0, 2]
 * @param topP        nucleus mass within (0, 1]
 * @param topK        0 disables top-k
 * @param seed        fixed seed for reproducible sampling, or {@code null}
 * @param stop        up to 4 stop strings; generation ends before the first match
 * @param logprobs    whether token log-probabilities should be reported
 * @param n           how many choices to generate for the prompt, within [1, {@value #MAX_CHOICES}]
 * @param presencePenalty  within [-2, 2]: subtracted once from the logit of every token already generated
 * @param frequencyPenalty within [-2, 2]: subtracted from a token's logit once per time it was generated
 * @param logitBias   token id to a bias within [-100, 100] added to its logit before sampling; at most
 *                    {@value #MAX_LOGIT_BIAS} entries
 */
public record SamplingParams(int maxTokens, double temperature, double topP, int topK, Long seed,
                             List<String> stop, boolean logprobs, int n, double presencePenalty,
                             double frequencyPenalty, Map<Integer, Double> logitBias) {

    /** The most choices one request may ask for (OpenAI's limit). */
    public static final int MAX_CHOICES = 128;
    /** The most {@code logit_bias} entries: bounds the per-step work of a sampler that applies them. */
    public static final int MAX_LOGIT_BIAS = 1024;

    /** The largest number of stop sequences OpenAI accepts. */
    public static final int MAX_STOP_SEQUENCES = 4;
    /**
     * The longest stop sequence, in UTF-16 chars. The stop matcher holds back up to this much text
     * of every stream, so an unbounded one would let a client make the gateway buffer a whole answer.
     */
    public static final int MAX_STOP_CHARS = 256;

    public SamplingParams {
        require(maxTokens >= 1, "max_tokens must be at least 1");
        require(temperature >= 0 && temperature <= 2, "temperature must be within [0, 2]");
        require(topP > 0 && topP <= 1, "top_p must be within (0, 1]");
        require(topK >= 0, "top_k must not be negative");
        Objects.requireNonNull(stop, "stop");
        require(stop.size() <= MAX_STOP_SEQUENCES, "stop accepts at most 4 sequences");
        for (String s : stop) {
            require(s != null && !s.isEmpty(), "stop sequences must be non-empty strings");
            require(s.length() <= MAX_STOP_CHARS, "stop sequences must be at most " + MAX_STOP_CHARS + " characters");
        }
        stop = List.copyOf(stop);
        require(n >= 1 && n <= MAX_CHOICES, "n must be within [1, " + MAX_CHOICES + "]");
        require(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty must be within [-2, 2]");
        require(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty must be within [-2, 2]");
        Objects.requireNonNull(logitBias, "logitBias");
        require(logitBias.size() <= MAX_LOGIT_BIAS, "logit_bias accepts at most " + MAX_LOGIT_BIAS + " entries");
        for (Map.Entry<Integer, Double> e : logitBias.entrySet()) {
            require(e.getKey() != null && e.getKey() >= 0, "logit_bias keys must be token ids (non-negative)");
            require(e.getValue() != null && e.getValue() >= -100 && e.getValue() <= 100,
                    "logit_bias values must be within [-100, 100]");
        }
        logitBias = Collections.unmodifiableMap(new TreeMap<>(logitBias));
    }

    /** One choice, no penalties, no bias. */
    public SamplingParams(int maxTokens, double temperature, double topP, int topK, Long seed,
                          List<String> stop, boolean logprobs) {
        this(maxTokens, temperature, topP, topK, seed, stop, logprobs, 1, 0, 0, Map.of());
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(maxTokens, 0, 1, 0, null, List.of(), false);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public SamplingParams withMaxTokens(int newMaxTokens) {
        return new SamplingParams(newMaxTokens, temperature, topP, topK, seed, stop, logprobs, n,
                presencePenalty, frequencyPenalty, logitBias);
    }

    /** The same parameters for {@code newN} choices (the shadow's twin asks for one). */
    public SamplingParams withN(int newN) {
        return new SamplingParams(maxTokens, temperature, topP, topK, seed, stop, logprobs, newN,
                presencePenalty, frequencyPenalty, logitBias);
    }

    /** Whether any penalty or bias changes the logits. */
    public boolean adjustsLogits() {
        return presencePenalty != 0 || frequencyPenalty != 0 || !logitBias.isEmpty();
    }

    /** The same parameters with another temperature, top_p and top_k (defaults resolved, see {@link SamplingDefaults}). */
    public SamplingParams withDecoding(double newTemperature, double newTopP, int newTopK) {
        return new SamplingParams(maxTokens, newTemperature, newTopP, newTopK, seed, stop, logprobs, n,
                presencePenalty, frequencyPenalty, logitBias);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
