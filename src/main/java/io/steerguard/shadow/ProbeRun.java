package io.steerguard.shadow;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe audit that was started: its id, progress, and the report to come. {@link #cancel()}
 * stops sending, cancels the generations in flight (which releases their runtime slots) and
 * completes {@link #result()} with a {@link CancellationException}.
 */
public final class ProbeRun {

    private final String id;
    private final String profile;
    private final String trigger;
    private final int pairs;
    private final Instant submitted;
    private final CompletableFuture<ProbeReport> result = new CompletableFuture<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    private volatile Future<?> task;

    ProbeRun(String id, ProbeJob job, Instant submitted) {
        this.id = Objects.requireNonNull(id, "id");
        this.profile = job.profile();
        this.trigger = job.trigger();
        this.pairs = job.pairs();
        this.submitted = submitted;
    }

    public String id() {
        return id;
    }

    public String profile() {
        return profile;
    }

    public String trigger() {
        return trigger;
    }

    public Instant submitted() {
        return submitted;
    }

    /** Probe pairs the audit sends. */
    public int pairs() {
        return pairs;
    }

    /** Probe pairs answered (or failed) so far. */
    public int answered() {
        return answered.get();
    }

    /** Completes with the report, or exceptionally when the audit failed or was cancelled. */
    public CompletableFuture<ProbeReport> result() {
        return result;
    }

    public boolean isDone() {
        return result.isDone();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Stops the audit; idempotent. */
    public void cancel() {
        cancelled = true;
        inFlight.forEach(f -> f.cancel(true));
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        result.completeExceptionally(new CancellationException("probe audit " + id + " was cancelled"));
    }

    void task(Future<?> future) {
        this.task = future;
        if (cancelled) {
            future.cancel(true);
        }
    }

    /** Registers a generation so {@link #cancel()} reaches it; cancels it at once when already cancelled. */
    void track(CompletableFuture<?> generation) {
        inFlight.add(generation);
        generation.whenComplete((v, e) -> inFlight.remove(generation));
        if (cancelled) {
            generation.cancel(true);
        }
    }

    void answeredOne() {
        answered.incrementAndGet();
    }

    void checkNotCancelled() {
        if (cancelled) {
            throw new CancellationException("probe audit " + id + " was cancelled");
        }
    }
}
