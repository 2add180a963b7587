package io.steerguard.runtime;

import java.util.Objects;

/** OpenAI's {@code tool_choice}: whether and which tool the model must call. */
public sealed interface ToolChoice {

    /** {@code "none"}: answer in text. */
    record None() implements ToolChoice {
    }

    /** {@code "auto"}: the model decides (OpenAI's default when tools are given). */
    record Auto() implements ToolChoice {
    }

    /** {@code "required"}: at least one call. */
    record Required() implements ToolChoice {
    }

    /** {@code {"type": "function", "function": {"name": ...}}}: exactly this function. */
    record Function(String name) implements ToolChoice {
        public Function {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The string spelling, or {@code null} for {@link Function}. */
    default String keyword() {
        if (this instanceof None) {
            return "none";
        }
        if (this instanceof Auto) {
            return "auto";
        }
        return this instanceof Required ? "required" : null;
    }
}
