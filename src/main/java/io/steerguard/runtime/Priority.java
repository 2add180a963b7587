package io.steerguard.runtime;

/** Scheduling class of a generation: shadow and probe work yields to client traffic. */
public enum Priority {
    /** A client is waiting for this answer. */
    INTERACTIVE,
    /** Mirrored or probe traffic; served only with capacity client traffic leaves free. */
    BACKGROUND
}
