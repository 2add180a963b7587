package io.steerguard.policy;

import java.util.Arrays;

/** What happens to a profile's traffic when one of a policy's limits is exceeded. */
public enum PolicyAction {
    /** Raise an alert (metric, log, audit line); keep steering. */
    ALERT("alert", 0),
    /** Serve the request without steering. */
    FALLBACK_UNSTEERED("fallback-unsteered", 1),
    /** Reject the request with 403 {@code steering_profile_blocked}. */
    BLOCK("block", 2);

    private final String configName;
    private final int strictness;

    PolicyAction(String configName, int strictness) {
        this.configName = configName;
        this.strictness = strictness;
    }

    public String configName() {
        return configName;
    }

    /** Whether the action takes the profile out of service (moves it to BLOCKED). */
    public boolean stopsSteering() {
        return this != ALERT;
    }

    /** The stricter of two actions: block over fallback-unsteered over alert. */
    public static PolicyAction strictest(PolicyAction a, PolicyAction b) {
        return a.strictness >= b.strictness ? a : b;
    }

    public static PolicyAction fromConfigName(String name) {
        return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown action '" + name + "'"));
    }

    int strictness() {
        return strictness;
    }
}
