package io.steerguard.runtime;

import io.smallrye.mutiny.Multi;

/**
 * The port every model backend implements: the embedded DJL transformer, an OpenAI-compatible
 * server, or an EasySteer-style steerable vLLM.
 *
 * <p>{@link #generate} is lazy: nothing runs until the returned {@link Multi} is subscribed, and
 * cancelling the subscription must release the work at once (free the batch slot, reset the
 * upstream HTTP request). Implementations must never block the subscribing thread; blocking work
 * belongs on the implementation's own executor.
 *
 * <p>Expected outcomes of a generation (finish reasons, usage) arrive as {@link GenerationEvent}s.
 * Faults (upstream down, timeout, malformed upstream data) terminate the stream with a
 * {@link RuntimeFault}.
 */
public interface ModelRuntime extends AutoCloseable {

    /** The configured name of this runtime; the OpenAI {@code model} clients ask for. */
    String name();

    /** What this runtime can do, so the gateway rejects impossible requests before calling it. */
    RuntimeCapabilities capabilities();

    /**
     * Decoding defaults for requests that omit {@code temperature}, {@code top_p} or {@code top_k}:
     * for the embedded runtime its Runtime document's {@code sampling}, then the model folder's
     * {@code generation_config.json}. A remote server applies its own defaults to what it is sent,
     * so a remote runtime has none here and the gateway sends OpenAI's.
     */
    default SamplingDefaults samplingDefaults() {
        return SamplingDefaults.NONE;
    }

    /**
     * Starts one generation when subscribed.
     *
     * @return token deltas, optional introspection, and exactly one {@link GenerationEvent.Finished}
     *         as the last item on success
     */
    Multi<GenerationEvent> generate(GenerationRequest request);

    /** Releases models, connections and executors. Idempotent. */
    @Override
    void close();
}
