package io.steerguard.api;

import java.util.Objects;

import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.Tools;
import io.steerguard.steering.easysteer.EasySteerSpec;

/**
 * A validated OpenAI chat or text completion request.
 *
 * @param operation    chat or text completion
 * @param model        the requested model (a runtime name, still to be checked against the tenant)
 * @param prompt       messages or text
 * @param sampling     decoding parameters, OpenAI's defaults in the fields the request omitted; the
 *                     generation uses {@link #samplingFor} instead, which lets the runtime's defaults fill them
 * @param stream       whether the client wants server-sent events
 * @param includeUsage whether a streamed response ends with a usage chunk
 * @param profile      the steering profile named in the body ({@code steering.profile}), or {@code null}
 * @param steering     runtime mode only: the EasySteer {@code steering} object, its vectors not yet loaded;
 *                     {@link EasySteerSpec#none()} in gateway mode
 * @param tools        the offered tools, {@code tool_choice} and {@code parallel_tool_calls}
 *                     ({@link Tools#none()} when the request has none)
 * @param requested    the temperature, top_p and top_k the request itself set ({@code null} where omitted)
 */
public record CompletionRequest(Operation operation, String model, Prompt prompt, SamplingParams sampling,
                                boolean stream, boolean includeUsage, String profile, EasySteerSpec steering,
                                Tools tools, SamplingDefaults requested) {

    public CompletionRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(steering, "steering");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(requested, "requested");
    }

    /** A request without tools. */
    public CompletionRequest(Operation operation, String model, Prompt prompt, SamplingParams sampling,
                             boolean stream, boolean includeUsage, String profile, EasySteerSpec steering,
                             SamplingDefaults requested) {
        this(operation, model, prompt, sampling, stream, includeUsage, profile, steering, Tools.none(), requested);
    }


    /** A gateway-mode request: steering is chosen by profile. */
    public CompletionRequest(Operation operation, String model, Prompt prompt, SamplingParams sampling,
                             boolean stream, boolean includeUsage, String profile, SamplingDefaults requested) {
        this(operation, model, prompt, sampling, stream, includeUsage, profile, EasySteerSpec.none(), requested);
    }

    /**
     * The decoding parameters for a runtime: each of temperature, top_p and top_k from the request
     * when it set it, else from the runtime's defaults (its Runtime document, then its model's
     * generation_config.json), else OpenAI's default.
     */
    public SamplingParams samplingFor(SamplingDefaults runtimeDefaults) {
        return requested.resolve(sampling, runtimeDefaults);
    }
}
