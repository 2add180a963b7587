package io.steerguard.api;

import java.util.List;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * How one answer is written on the wire: the only thing, with the request parser, that differs
 * between the OpenAI APIs the gateway serves ({@link Dialect}). {@link GenerationResponder} owns
 * the rest (ordering, back-pressure, disconnects, blocks) and calls these in order on the request's
 * event loop, so an implementation may keep per-answer state (Responses' sequence numbers).
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
     * Streamed text. {@code first} is set on the first call, which opens the stream (it may carry
     * nothing else: {@code text} is empty when the generation produced nothing).
     *
     * @param logprobTokens the tokens of this delta with their log-probabilities, or {@code null}
     */
    Buffer deltaEvent(String text, boolean first, List<GenerationEvent.Token> logprobTokens);

    /**
     * A piece of a tool call, called in order in both modes (a format keeps the calls its
     * non-streamed answer and its stream's end need); what it returns is written when streaming.
     * {@code first} is set when nothing was streamed before. By default calls are not framed.
     */
    default Buffer toolCallDelta(GenerationEvent.ToolCallDelta delta, boolean first) {
        return Buffer.buffer();
    }

    /** Everything a successful stream sends after its last delta. */
    Buffer streamEnd(FinishReason reason, Usage usage);

    /** An error once the stream has started: the status is already 200, so it travels as an event. */
    Buffer errorEvent(OpenAiError error);

    /** The complete non-streamed answer. */
    Buffer completeResponse(String text, FinishReason reason, Usage usage, List<GenerationEvent.Token> logprobTokens);
}
