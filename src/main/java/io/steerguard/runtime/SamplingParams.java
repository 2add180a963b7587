package io.steerguard.runtime;

import java.util.List;
import java.util.Objects;

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
 */
public record SamplingParams(int maxTokens, double temperature, double topP, int topK, Long seed,
                             List<String> stop, boolean logprobs) {

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
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(maxTokens, 0, 1, 0, null, List.of(), false);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public SamplingParams withMaxTokens(int newMaxTokens) {
        return new SamplingParams(newMaxTokens, temperature, topP, topK, seed, stop, logprobs);
    }

    /** The same parameters with another temperature, top_p and top_k (defaults resolved, see {@link SamplingDefaults}). */
    public SamplingParams withDecoding(double newTemperature, double newTopP, int newTopK) {
        return new SamplingParams(maxTokens, newTemperature, newTopP, newTopK, seed, stop, logprobs);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
