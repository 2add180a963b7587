package io.steerguard.runtime;

import java.util.Objects;

/**
 * One generation asked of a {@link ModelRuntime}.
 *
 * @param requestId     the gateway's id for the request (logs, and the shadow's record of mirrored requests)
 * @param prompt        what to continue
 * @param sampling      decoding parameters
 * @param steering      steering to apply; {@link SteeringSpec#none()} for the unsteered model
 * @param introspection what to capture for the safety path
 * @param priority      interactive client traffic or background (shadow, probes)
 * @param tools         the tools offered to the model ({@link Tools#none()} for none); chat prompts only
 */
public record GenerationRequest(String requestId, Prompt prompt, SamplingParams sampling,
                                SteeringSpec steering, Introspection introspection, Priority priority,
                                Tools tools) {

    public GenerationRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(steering, "steering");
        Objects.requireNonNull(introspection, "introspection");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(tools, "tools");
        if (!tools.isNone() && !(prompt instanceof Prompt.Chat)) {
            throw new IllegalArgumentException("tools need a chat prompt");
        }
    }

    /** A request without tools. */
    public GenerationRequest(String requestId, Prompt prompt, SamplingParams sampling, SteeringSpec steering,
                             Introspection introspection, Priority priority) {
        this(requestId, prompt, sampling, steering, introspection, priority, Tools.none());
    }

    /** An interactive request without introspection. */
    public static GenerationRequest of(String requestId, Prompt prompt, SamplingParams sampling, SteeringSpec steering) {
        return new GenerationRequest(requestId, prompt, sampling, steering, Introspection.none(), Priority.INTERACTIVE);
    }

    /** The same request with other steering (e.g. {@link SteeringSpec#none()} for the shadow twin). */
    public GenerationRequest withSteering(SteeringSpec newSteering) {
        return new GenerationRequest(requestId, prompt, sampling, newSteering, introspection, priority, tools);
    }

    /** The same request with other sampling parameters. */
    public GenerationRequest withSampling(SamplingParams newSampling) {
        return new GenerationRequest(requestId, prompt, newSampling, steering, introspection, priority, tools);
    }

    /** The same request offering these tools. */
    public GenerationRequest withTools(Tools newTools) {
        return new GenerationRequest(requestId, prompt, sampling, steering, introspection, priority, newTools);
    }
}
