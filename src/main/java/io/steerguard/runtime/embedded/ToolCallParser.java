package io.steerguard.runtime.embedded;

import java.util.List;
import java.util.Objects;

/**
 * Reads tool calls out of a model's generated text. Stateless: {@link ToolCallStream} does the
 * streaming bookkeeping and asks the parser where a call may begin.
 */
sealed interface ToolCallParser permits HermesToolCalls, Llama3JsonToolCalls {

    /**
     * Where in {@code text} (generated text not yet released) a tool call might begin: text before
     * it can go to the client as content now. {@code text.length()} when no call can start in it;
     * 0 to hold it all.
     *
     * @param atStart whether nothing of the answer was released yet (formats whose call must be
     *                the whole answer only hold text at the start)
     */
    int holdFrom(String text, boolean atStart);

    /**
     * Whether a call has certainly begun at {@link #holdFrom}, so nothing more is released until
     * the end of the sequence.
     */
    boolean callStarted(String text, boolean atStart);

    /** Parses the held text at the end of the sequence. */
    Parsed parse(String text);

    /** One call read from the text; {@code arguments} is compact JSON text. */
    record Call(String name, String arguments) {
        public Call {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a tool call needs a name");
            }
        }
    }

    /** What the held text turned out to be. */
    sealed interface Parsed {
    }

    /** Plain text (no call, or a call that does not parse): sent as content unchanged. */
    record Content(String text) implements Parsed {
        public Content {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Tool calls, with any content text the model wrote before the first one. */
    record Calls(String content, List<Call> calls) implements Parsed {
        public Calls {
            Objects.requireNonNull(content, "content");
            calls = List.copyOf(calls);
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("at least one call");
            }
        }
    }
}
