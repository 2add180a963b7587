package io.steerguard.runtime;

/**
 * What a runtime supports.
 *
 * @param steering          whether a non-empty {@link SteeringSpec} can be honoured
 * @param chat              whether chat messages can be rendered into a prompt (a chat template)
 * @param introspection     whether residual-stream capture and first-token distributions are available
 */
public record RuntimeCapabilities(boolean steering, boolean chat, boolean introspection) {

    public static RuntimeCapabilities remotePlain() {
        return new RuntimeCapabilities(false, true, false);
    }

    public static RuntimeCapabilities remoteSteerable() {
        return new RuntimeCapabilities(true, true, false);
    }
}
