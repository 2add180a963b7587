package io.steerguard.runtime;

import java.util.Objects;

/**
 * One function call an assistant made: in chat history ({@code messages[i].tool_calls[j]}) and in a
 * finished, non-streamed answer ({@code message.tool_calls[j]}). OpenAI's only call type is
 * {@code function}, so the type is implied.
 *
 * @param id        the call's id, echoed by the {@code tool} message that answers it
 * @param name      the function's name
 * @param arguments the arguments as the model wrote them: JSON text by contract, but kept verbatim
 *                  (OpenAI documents that models may produce invalid JSON, and clients validate)
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a tool call needs a function name");
        }
    }
}
