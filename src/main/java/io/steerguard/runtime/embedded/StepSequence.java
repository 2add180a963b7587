package io.steerguard.runtime.embedded;

import io.steerguard.runtime.SteeringSpec;

import java.util.List;
import java.util.Objects;

/**
 * One sequence's share of a forward step: new tokens at positions {@code start..start+n-1}, whose
 * keys and values go to KV-cache slot {@code slot}.
 *
 * @param slot          KV-cache slot owned by the sequence
 * @param tokens        new token ids (the whole prompt when prefilling, one token when decoding)
 * @param start         position of {@code tokens[0]}; the cache already holds positions {@code 0..start-1}
 * @param promptLength  prompt length, so steering positions ({@code prompt}, {@code generated}) resolve
 * @param steering      steering of this sequence
 * @param captureLayers layers whose residual at the last prompt token is returned (when that token is in this step)
 */
record StepSequence(int slot, int[] tokens, int start, int promptLength, SteeringSpec steering,
                    List<Integer> captureLayers) {

    StepSequence {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(steering, "steering");
        Objects.requireNonNull(captureLayers, "captureLayers");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a step needs at least one token per sequence");
        }
        if (start < 0 || slot < 0) {
            throw new IllegalArgumentException("slot and start must not be negative");
        }
    }

    /** Whether this step ends at the last prompt token, where introspection captures. */
    boolean endsPrompt() {
        return start < promptLength && start + tokens.length == promptLength;
    }

    /** A single-token step on top of cached positions. */
    boolean isDecode() {
        return tokens.length == 1 && start > 0;
    }
}
