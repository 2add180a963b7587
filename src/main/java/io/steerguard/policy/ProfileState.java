package io.steerguard.policy;

/**
 * Where a steering profile stands: {@code PROBATION → ACTIVE ⇄ WARN → BLOCKED}.
 */
public enum ProfileState {
    /** New or changed: steered per policy, mirrored at the probation sample rate until it has enough samples. */
    PROBATION,
    /** Steered; no limit is in doubt. */
    ACTIVE,
    /** Steered; some statistic is past its limit but the interval does not prove it yet. */
    WARN,
    /** Out of service: requests fall back to unsteered or are rejected, per the deciding policy's action. */
    BLOCKED
}
