package io.steerguard.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * What a generation emits, in order: optional {@link Captured}, {@link Token}s and {@link ToolCallDelta}s,
 * one {@link Finished}.
 *
 * <p>With {@code n > 1} choices ({@link SamplingParams#n()}), tokens and tool-call deltas of different
 * choices interleave, each naming its {@code choice}; every choice ends with one {@link ChoiceFinished},
 * and the single {@link Finished} comes last, with choice 0's reason and the usage of all choices
 * (OpenAI counts completion tokens over every choice). With one choice no {@link ChoiceFinished} is
 * emitted, so the n = 1 stream is unchanged.
 */
public sealed interface GenerationEvent {

    /**
     * A piece of generated text. Text deltas never split a UTF-8 character.
     *
     * @param text    the text to append (may be empty when a token completes no character)
     * @param tokenId the token id, or -1 when a remote runtime does not report it
     * @param logprob the token's log-probability, or {@code NaN} when not requested or unknown
     * @param choice  the choice this token belongs to, 0-based
     */
    record Token(String text, int tokenId, double logprob, int choice) implements GenerationEvent {
        public Token {
            Objects.requireNonNull(text, "text");
            if (choice < 0) {
                throw new IllegalArgumentException("choice must not be negative");
            }
        }

        /** A token of choice 0. */
        public Token(String text, int tokenId, double logprob) {
            this(text, tokenId, logprob, 0);
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

    /**
     * A piece of a tool call, framed as OpenAI streams them ({@code choices[choice].delta.tool_calls[]}):
     * the first delta of a call carries its {@code id} and function {@code name}, later ones only
     * more of the {@code arguments} JSON text. A runtime that parses calls from finished text emits one
     * delta per call with everything set.
     *
     * @param choice    the choice, 0-based
     * @param index     the call's position within the choice's calls, 0-based
     * @param id        the call id on the call's first delta, else {@code null}
     * @param name      the function name on the call's first delta, else {@code null}
     * @param arguments the next fragment of the arguments text (may be empty), never {@code null}
     */
    record ToolCallDelta(int choice, int index, String id, String name, String arguments) implements GenerationEvent {
        public ToolCallDelta {
            Objects.requireNonNull(arguments, "arguments");
            if (choice < 0 || index < 0) {
                throw new IllegalArgumentException("choice and index must not be negative");
            }
        }
    }

    /**
     * The end of one choice when several were asked for; the last {@link Finished} still follows.
     *
     * @param choice the choice, 0-based
     * @param reason why it ended ({@link FinishReason#TOOL_CALLS} when it called tools)
     */
    record ChoiceFinished(int choice, FinishReason reason) implements GenerationEvent {
        public ChoiceFinished {
            Objects.requireNonNull(reason, "reason");
            if (choice < 0) {
                throw new IllegalArgumentException("choice must not be negative");
            }
        }
    }

    /** The last event of a successful generation (choice 0's reason; usage over all choices). */
    record Finished(FinishReason reason, Usage usage) implements GenerationEvent {
        public Finished {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }
    }
}
