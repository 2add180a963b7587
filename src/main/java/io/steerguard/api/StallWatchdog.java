package io.steerguard.api;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Cuts off a client that stops reading a response. Checked on each tick of a timer: while the
 * response's write queue stays full (the client does not take what we send) for longer than the
 * allowed stall, {@code cut} runs once. A client that reads, however slowly, resets the clock.
 * Only this client's connection is closed, which cancels its generation and frees its upstream
 * slot; nobody else waits for it.
 */
final class StallWatchdog {

    private final BooleanSupplier writeQueueFull;
    private final LongSupplier nanoClock;
    private final long allowedStallNanos;
    private final Runnable cut;
    private long stalledSince = -1;
    private boolean fired;

    StallWatchdog(BooleanSupplier writeQueueFull, LongSupplier nanoClock, long allowedStallNanos, Runnable cut) {
        if (allowedStallNanos <= 0) {
            throw new IllegalArgumentException("allowedStallNanos must be positive");
        }
        this.writeQueueFull = writeQueueFull;
        this.nanoClock = nanoClock;
        this.allowedStallNanos = allowedStallNanos;
        this.cut = cut;
    }

    /** One check; returns whether the client has been cut off (then the timer can stop). */
    boolean tick() {
        if (fired) {
            return true;
        }
        if (!writeQueueFull.getAsBoolean()) {
            stalledSince = -1;
            return false;
        }
        long now = nanoClock.getAsLong();
        if (stalledSince < 0) {
            stalledSince = now;
        } else if (now - stalledSince >= allowedStallNanos) {
            fired = true;
            cut.run();
        }
        return fired;
    }
}
