package io.steerguard.shadow;

import java.util.function.Supplier;

/**
 * What the shadow mirror reports as it runs: queue occupancy, what became of each sampled request,
 * verdicts, activation readings and classifier latency. Telemetry implements it; the mirror does
 * not know about meters, so {@code shadow} never depends on {@code telemetry}.
 *
 * <p>Called from shadow and classifier threads: implementations must be thread-safe and cheap.
 */
public interface MirrorObserver {

    /** Called once, when the mirror exists: how many mirrors wait for a slot and how many run. */
    void bindQueue(Supplier<Number> queueDepth, Supplier<Number> inFlight);

    /** One sampled request's end; {@code tenant} and {@code profile} are configured ids. */
    void outcome(String tenant, String profile, String outcome);

    /** One pair completed after its client hung up. */
    void pairedAfterDisconnect(String tenant, String profile);

    /** One classified answer: {@code path} steered or unsteered, {@code source} live or probe. */
    void verdict(String profile, String path, String source, boolean refused);

    /**
     * One activation reading of a mirrored answer.
     *
     * @param refusalProbability {@code p_ref}, or NaN when the model has no refusal token ids
     * @param projection         {@code ⟨x, r̂⟩}, or NaN when the model has no refusal direction
     */
    void activation(String profile, String path, double refusalProbability, double projection);

    /** One classifier call of {@code method} took {@code nanos}. */
    void classifierLatency(String method, long nanos);
}
