package io.steerguard.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The tools a request offers, validated by the API layer.
 *
 * @param functions         the offered functions, names unique; empty when the request has no tools
 * @param choice            {@code tool_choice}, or {@code null} when the client omitted it (the runtime's
 *                          default: OpenAI's {@code auto} with tools, {@code none} without)
 * @param parallelToolCalls {@code parallel_tool_calls}, or {@code null} when omitted
 */
public record Tools(List<FunctionTool> functions, ToolChoice choice, Boolean parallelToolCalls) {

    private static final Tools NONE = new Tools(List.of(), null, null);

    public Tools {
        Objects.requireNonNull(functions, "functions");
        functions = List.copyOf(functions);
        if (functions.stream().map(FunctionTool::name).distinct().count() != functions.size()) {
            throw new IllegalArgumentException("function names must be unique");
        }
        if (choice instanceof ToolChoice.Function f
                && functions.stream().noneMatch(t -> t.name().equals(f.name()))) {
            throw new IllegalArgumentException("tool_choice names function '" + f.name() + "', which is not in tools");
        }
        if (functions.isEmpty() && (choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Function)) {
            throw new IllegalArgumentException("tool_choice requires tools");
        }
    }

    /** No tools offered. */
    public static Tools none() {
        return NONE;
    }

    /** Whether the request carries anything tool-related at all. */
    public boolean isNone() {
        return functions.isEmpty() && choice == null && parallelToolCalls == null;
    }

    /** Whether the model may call a tool: tools offered and the choice is not {@code none}. */
    public boolean callsPossible() {
        return !functions.isEmpty() && !(choice instanceof ToolChoice.None);
    }
}
