package io.steerguard.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of a profile's state: a line of the state file, which is also the audit log.
 *
 * @param time        when it was decided
 * @param profile     the profile
 * @param from        the state before, or null for a profile seen for the first time
 * @param to          the state after
 * @param actor       who or what decided: {@code policy-engine}, {@code recovery}, {@code lifecycle} or an operator
 * @param reason      why, in words
 * @param policy      the deciding policy, or null
 * @param action      for a move to BLOCKED, the action its requests get; null otherwise
 * @param recovery    for a move to BLOCKED, how the block ends; null otherwise
 * @param fingerprint the profile version
 * @param numbers     the statistics against their limits at the time of the decision
 */
public record Transition(Instant time, String profile, ProfileState from, ProfileState to, String actor,
                         String reason, String policy, PolicyAction action, Recovery recovery, String fingerprint,
                         List<Measurement> numbers) {

    public Transition {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fingerprint, "fingerprint");
        numbers = List.copyOf(numbers);
        if (to == ProfileState.BLOCKED && (action == null || !action.stopsSteering() || recovery == null)) {
            throw new IllegalArgumentException("a move to BLOCKED needs action block or fallback-unsteered and a recovery");
        }
    }
}
