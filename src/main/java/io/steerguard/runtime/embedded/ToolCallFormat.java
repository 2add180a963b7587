package io.steerguard.runtime.embedded;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an embedded model writes tool calls in its answer, set per runtime ({@code toolCallParser}).
 * The model's chat template tells it the format; this only reads it back.
 */
public enum ToolCallFormat {
    /** No parser: requests that offer tools get a 400. */
    NONE("none"),
    /** Qwen2.5 / Hermes: {@code <tool_call>{"name": .., "arguments": {..}}</tool_call>} blocks. */
    HERMES("hermes"),
    /** Llama 3.x: the whole answer is {@code {"name": .., "parameters": {..}}}, maybe after {@code <|python_tag|>}. */
    LLAMA3_JSON("llama3-json");

    private final String configName;

    ToolCallFormat(String configName) {
        this.configName = configName;
    }

    /** The name used in Runtime documents. */
    public String configName() {
        return configName;
    }

    public static Optional<ToolCallFormat> fromConfig(String name) {
        return Arrays.stream(values()).filter(f -> f.configName.equals(name)).findFirst();
    }

    /** A fresh parser for one sequence, or empty for {@link #NONE}. */
    Optional<ToolCallParser> parser() {
        return switch (this) {
            case NONE -> Optional.empty();
            case HERMES -> Optional.of(new HermesToolCalls());
            case LLAMA3_JSON -> Optional.of(new Llama3JsonToolCalls());
        };
    }
}
