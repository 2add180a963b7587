package io.steerguard.api;

/**
 * The generation endpoints, named as OpenTelemetry's {@code gen_ai.operation.name} where it has a
 * name ({@code chat}, {@code text_completion}); the Responses API is tagged {@code responses} so
 * operators can tell its traffic apart.
 */
public enum Operation {
    CHAT("chat", "chat.completion", "chat.completion.chunk", "chatcmpl-"),
    TEXT_COMPLETION("text_completion", "text_completion", "text_completion", "cmpl-"),
    RESPONSES("responses", "response", "response", "resp_");

    private final String tagValue;
    private final String object;
    private final String chunkObject;
    private final String idPrefix;

    Operation(String tagValue, String object, String chunkObject, String idPrefix) {
        this.tagValue = tagValue;
        this.object = object;
        this.chunkObject = chunkObject;
        this.idPrefix = idPrefix;
    }

    public String tagValue() {
        return tagValue;
    }

    /** OpenAI's {@code object} of a complete response. */
    public String object() {
        return object;
    }

    /** OpenAI's {@code object} of a streamed chunk. */
    public String chunkObject() {
        return chunkObject;
    }

    public String idPrefix() {
        return idPrefix;
    }
}
