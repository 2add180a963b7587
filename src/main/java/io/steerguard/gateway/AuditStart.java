package io.steerguard.gateway;

import io.steerguard.shadow.ProbeJob;
import io.steerguard.shadow.ProbeRun;

/** What asking for a probe audit of a profile led to. */
public sealed interface AuditStart {

    /** The audit started. */
    record Started(ProbeRun run, ProbeJob job) implements AuditStart {
    }

    /** An audit of the profile is already running; one at a time per profile. */
    record AlreadyRunning(ProbeRun run) implements AuditStart {
    }

    /**
     * The audit cannot start: the probe file is broken, the profile or its runtime is gone.
     *
     * @param reason what is wrong, for the operator (a probe file error names file and line)
     */
    record Unavailable(String reason) implements AuditStart {
    }
}
