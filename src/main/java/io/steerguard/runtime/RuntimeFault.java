package io.steerguard.runtime;

import java.util.Objects;

/**
 * A runtime failed to produce a generation for reasons outside the request's control, or rejected
 * the request itself. The {@link Kind} tells the API layer which HTTP status to answer with.
 */
public final class RuntimeFault extends RuntimeException {

    /** Why the generation failed. */
    public enum Kind {
        /** The runtime rejected the request as invalid (maps to 400). */
        INVALID_REQUEST,
        /** The request cannot be served by this runtime, e.g. chat on a model without a template (400). */
        UNSUPPORTED,
        /** The runtime could not be reached or refused the connection (502). */
        UNAVAILABLE,
        /** The runtime did not answer within the configured time (504). */
        TIMEOUT,
        /** The runtime answered with an error status or broken data (502). */
        UPSTREAM_ERROR,
        /** The runtime's admission queue is full; the client should retry later (503). */
        OVERLOADED,
        /** A bug or resource fault inside an embedded runtime (500). */
        INTERNAL
    }

    private final Kind kind;
    private final int upstreamStatus;

    public RuntimeFault(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public RuntimeFault(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, cause);
    }

    public RuntimeFault(Kind kind, String message, int upstreamStatus, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.upstreamStatus = upstreamStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the upstream answered with, or 0 when there was no HTTP answer. */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}
