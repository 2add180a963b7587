package io.steerguard.shadow;

import java.util.Objects;

import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;

/**
 * A client request the shadow path may mirror.
 *
 * @param tenant     configured tenant id
 * @param profile    the steering profile the client is served with
 * @param runtime    the runtime serving the client
 * @param twinRuntime the runtime the unsteered twin runs on: {@code runtime} itself when it steers per
 *                   request; a routed profile's base runtime when {@code runtime} steers process-wide
 * @param primary    the client's generation request, with the steering on the wire (none for a routed profile)
 * @param steered    whether the client is served steered, whether or not steering is on the wire
 * @param sampleRate share of this profile's requests to mirror, in [0, 1]
 * @param maxTokens  tokens compared per answer (the policy's {@code shadow.maxTokens})
 */
public record MirrorRequest(String tenant, String profile, ModelRuntime runtime, ModelRuntime twinRuntime,
                            GenerationRequest primary, boolean steered, double sampleRate, int maxTokens) {

    public MirrorRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(twinRuntime, "twinRuntime");
        Objects.requireNonNull(primary, "primary");
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be within [0, 1], got " + sampleRate);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
    }

    /** A request on a runtime that steers per request: steered exactly when it carries steering; the twin runs there too. */
    public MirrorRequest(String tenant, String profile, ModelRuntime runtime, GenerationRequest primary,
                         double sampleRate, int maxTokens) {
        this(tenant, profile, runtime, runtime, primary, !primary.steering().isNone(), sampleRate, maxTokens);
    }
}
