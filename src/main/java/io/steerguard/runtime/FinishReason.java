package io.steerguard.runtime;

/** Why a generation ended, with the spelling OpenAI uses for {@code finish_reason}. */
public enum FinishReason {
    /** End-of-sequence token or a stop string. */
    STOP("stop"),
    /** {@code max_tokens} or the context window was reached. */
    LENGTH("length"),
    /** The upstream filtered the content. */
    CONTENT_FILTER("content_filter"),
    /** The model called one or more tools (the answer's {@code tool_calls}). */
    TOOL_CALLS("tool_calls");

    private final String openAiName;

    FinishReason(String openAiName) {
        this.openAiName = openAiName;
    }

    public String openAiName() {
        return openAiName;
    }

    /** Maps an upstream's {@code finish_reason}; unknown values become {@link #STOP}. */
    public static FinishReason fromOpenAi(String name) {
        if (name == null) {
            return STOP;
        }
        for (FinishReason r : values()) {
            if (r.openAiName.equals(name)) {
                return r;
            }
        }
        return STOP;
    }
}
