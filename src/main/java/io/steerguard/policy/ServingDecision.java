package io.steerguard.policy;

import java.util.Objects;

/** What the gateway does with one request for a steering profile. */
public sealed interface ServingDecision {

    /** The error code of a rejected request. */
    String BLOCKED_CODE = "steering_profile_blocked";

    /** Apply the profile's steering. */
    record Steer() implements ServingDecision {
    }

    /** Serve the request without steering. */
    record FallbackUnsteered() implements ServingDecision {
    }

    /** Answer 403 with this error code. */
    record Reject(String code) implements ServingDecision {
        public Reject {
            Objects.requireNonNull(code, "code");
        }
    }

    /**
     * The serving rule, a pure function of the profile's state and the action that put it there:
     * PROBATION, ACTIVE and WARN steer; BLOCKED rejects for {@code block} and falls back to unsteered
     * otherwise (a BLOCKED profile never steers, whatever the action says).
     *
     * @param action the deciding policy's action; may be null for states other than BLOCKED
     */
    static ServingDecision serve(ProfileState state, PolicyAction action) {
        Objects.requireNonNull(state, "state");
        if (state != ProfileState.BLOCKED) {
            return new Steer();
        }
        return action == PolicyAction.BLOCK ? new Reject(BLOCKED_CODE) : new FallbackUnsteered();
    }
}
