package io.steerguard.runtime.embedded;

import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.SteeringSpec;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A generation as the engine sees it: token ids in, token ids out.
 *
 * @param id        request id for logs
 * @param prompt    produces the prompt ids; called on the inference thread at admission, so
 *                  tokenisation never runs on the caller's thread (may throw a RuntimeFault)
 * @param maxTokens most tokens to generate
 * @param eosIds    tokens that end the sequence
 * @param chooser   next-token choice for this sequence
 */
record SequenceRequest(String id, Supplier<int[]> prompt, int maxTokens, Set<Integer> eosIds, TokenChooser chooser,
                       SteeringSpec steering, Introspection introspection, Priority priority) {

    SequenceRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(eosIds, "eosIds");
        Objects.requireNonNull(chooser, "chooser");
        Objects.requireNonNull(steering, "steering");
        Objects.requireNonNull(introspection, "introspection");
        Objects.requireNonNull(priority, "priority");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
        eosIds = Set.copyOf(eosIds);
    }
}
