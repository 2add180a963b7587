package io.steerguard.runtime;

/**
 * What a runtime supports.
 *
 * @param steering          whether a non-empty {@link SteeringSpec} can be honoured
 * @param chat              whether chat messages can be rendered into a prompt (a chat template)
 * @param introspection     whether residual-stream capture and first-token distributions are available
 * @param tools             whether a request's {@link Tools} can be honoured (remote: passed through;
 *                          embedded: the chat template renders {@code tools} and a tool-call parser is set)
 */
public record RuntimeCapabilities(boolean steering, boolean chat, boolean introspection, boolean tools) {

    /** Without tools. */
    public RuntimeCapabilities(boolean steering, boolean chat, boolean introspection) {
        this(steering, chat, introspection, false);
    }

    public static RuntimeCapabilities remotePlain() {
        return new RuntimeCapabilities(false, true, false, true);
    }

    public static RuntimeCapabilities remoteSteerable() {
        return new RuntimeCapabilities(true, true, false, true);
    }
}
