package io.steerguard.shadow;

import java.util.Objects;

import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;

/**
 * A client request the shadow path may mirror.
 *
 * @param tenant     configured tenant id
 * @param profile    the steering profile the client is served with
 * @param runtime    the runtime serving the client (the twin runs on the same model)
 * @param primary    the client's generation request, with its steering
 * @param sampleRate share of this profile's requests to mirror, in [0, 1]
 * @param maxTokens  tokens compared per answer (the policy's {@code shadow.maxTokens})
 */
public record MirrorRequest(String tenant, String profile, ModelRuntime runtime, GenerationRequest primary,
                            double sampleRate, int maxTokens) {

    public MirrorRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(primary, "primary");
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be within [0, 1], got " + sampleRate);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
    }
}
