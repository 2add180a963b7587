package io.steerguard.runtime;

import java.util.Map;
import java.util.Objects;

/** What a generation emits, in order: optional {@link Captured}, {@link Token}s, one {@link Finished}. */
public sealed interface GenerationEvent {

    /**
     * A piece of generated text. Text deltas never split a UTF-8 character.
     *
     * @param text    the text to append (may be empty when a token completes no character)
     * @param tokenId the token id, or -1 when a remote runtime does not report it
     * @param logprob the token's log-probability, or {@code NaN} when not requested or unknown
     */
    record Token(String text, int tokenId, double logprob) implements GenerationEvent {
        public Token {
            Objects.requireNonNull(text, "text");
        }

        public static Token text(String text) {
            return new Token(text, -1, Double.NaN);
        }
    }

    /**
     * Introspection results, emitted before the first token.
     *
     * @param residuals          captured residual stream at the last prompt token, by layer
     * @param firstTokenLogProbs log-probabilities of the first generated position over the
     *                           vocabulary, or {@code null} when not requested
     */
    record Captured(Map<Integer, float[]> residuals, float[] firstTokenLogProbs) implements GenerationEvent {
        public Captured {
            residuals = Map.copyOf(residuals);
        }
    }

    /** The last event of a successful generation. */
    record Finished(FinishReason reason, Usage usage) implements GenerationEvent {
        public Finished {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }
    }
}
