package io.steerguard.policy;

/**
 * Where a rollout of a candidate profile stands. RUNNING until the gate (or an operator) decides;
 * PROMOTED and ROLLED_BACK last until an operator resets the rollout or the configuration names
 * another candidate, or the candidate's identity changes.
 */
public enum RolloutPhase {
    /** The candidate serves its configured share, mirrored at rate 1, and the gate judges it. */
    RUNNING,
    /** The candidate serves every request for the profile; the stable arm is retired. */
    PROMOTED,
    /** The candidate serves nothing; the stable profile serves every request. */
    ROLLED_BACK;

    /** The probability that one request is served with the candidate in this phase. */
    public double candidateShare(double configuredShare) {
        return switch (this) {
            case RUNNING -> configuredShare;
            case PROMOTED -> 1.0;
            case ROLLED_BACK -> 0.0;
        };
    }
}
