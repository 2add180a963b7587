package io.steerguard.api.responses;

import java.util.Objects;

/** One item of a response's {@code output}, as far as it has been generated. */
sealed interface OutputItem {

    /** OpenAI's item status. */
    enum Status {
        IN_PROGRESS("in_progress"), COMPLETED("completed"), INCOMPLETE("incomplete");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }
    }

    String id();

    /**
     * An assistant message with one {@code output_text} part.
     *
     * @param text the part's text, or {@code null} while the part has not been added yet (no content)
     */
    record Message(String id, Status status, String text) implements OutputItem {
        public Message {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * A call of one of the request's functions.
     *
     * @param callId    the id the client answers with a {@code function_call_output} item
     * @param arguments the arguments JSON text as generated so far
     */
    record FunctionCall(String id, Status status, String callId, String name, String arguments) implements OutputItem {
        public FunctionCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }
}
