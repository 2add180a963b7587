package io.steerguard.api;

import java.util.List;
import java.util.Objects;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * How one answer is written on the wire: the only thing, with the request parser, that differs
 * between the OpenAI APIs the gateway serves ({@link Dialect}). {@link GenerationResponder} owns
 * the rest (choices, ordering, back-pressure, disconnects, blocks) and calls these in order on the
 * request's event loop, so an implementation may keep per-answer state (Responses' sequence numbers).
 */
public interface AnswerFormat {

    /** Builds the format of one answer, once the handler has named the request. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param requestId      the gateway's id of the request (also sent as {@code X-Request-Id})
         * @param createdSeconds Unix time the answer was created
         */
        AnswerFormat create(String requestId, long createdSeconds);
    }

    /**
     * One choice of a finished, non-streamed answer.
     *
     * @param logprobTokens the tokens with their log-probabilities, or {@code null} when not asked for
     * @param toolCalls     the calls it made, in order
     * @param reason        why it ended, or {@code null} when unknown ({@code stop})
     */
    record Choice(int index, String text, List<GenerationEvent.Token> logprobTokens, List<ToolCall> toolCalls,
                  FinishReason reason) {
        public Choice {
            Objects.requireNonNull(text, "text");
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /**
     * Streamed text of {@code choice}. {@code first} is set on the choice's first chunk; the very first
     * call opens the stream (it may carry nothing else: {@code text} is empty when nothing was generated).
     *
     * @param logprobTokens the tokens of this delta with their log-probabilities, or {@code null}
     */
    Buffer deltaEvent(int choice, String text, boolean first, List<GenerationEvent.Token> logprobTokens);

    /** Streamed text of choice 0. */
    default Buffer deltaEvent(String text, boolean first, List<GenerationEvent.Token> logprobTokens) {
        return deltaEvent(0, text, first, logprobTokens);
    }

    /** A streamed piece of a tool call; {@code first} is set on its choice's first chunk. */
    Buffer toolCallEvent(GenerationEvent.ToolCallDelta delta, boolean first);

    /** The streamed end of one choice when the runtime ends them one by one (n &gt; 1). */
    Buffer finishEvent(int choice, FinishReason reason);

    /**
     * Everything a successful stream sends after its last delta.
     *
     * @param choicesFinished whether every choice already had its {@link #finishEvent}
     * @param reason          choice 0's finish reason
     */
    Buffer streamEnd(boolean choicesFinished, FinishReason reason, Usage usage);

    /** An error once the stream has started: the status is already 200, so it travels as an event. */
    Buffer errorEvent(OpenAiError error);

    /** The complete non-streamed answer: every choice, in index order. */
    Buffer completeResponse(List<Choice> choices, Usage usage);
}
