package io.steerguard.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile's current state and how it got there (the last transition).
 *
 * @param profile     the profile
 * @param state       the state
 * @param since       when the state was entered
 * @param action      for BLOCKED, what its requests get (block or fallback-unsteered); null otherwise
 * @param policy      the policy that decided the last transition, or null when an operator or the
 *                    lifecycle (new profile, recovery) did
 * @param recovery    for BLOCKED, how the block ends; null otherwise
 * @param fingerprint the profile version the state applies to (a change restarts probation)
 */
public record ProfileStatus(String profile, ProfileState state, Instant since, PolicyAction action, String policy,
                            Recovery recovery, String fingerprint) {

    public ProfileStatus {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (state == ProfileState.BLOCKED && (action == null || recovery == null)) {
            throw new IllegalArgumentException("a BLOCKED status needs its action and recovery");
        }
    }

    /** The status a transition leads to. */
    public static ProfileStatus after(Transition t) {
        boolean blocked = t.to() == ProfileState.BLOCKED;
        return new ProfileStatus(t.profile(), t.to(), t.time(), blocked ? t.action() : null, t.policy(),
                blocked ? t.recovery() : null, t.fingerprint());
    }
}
