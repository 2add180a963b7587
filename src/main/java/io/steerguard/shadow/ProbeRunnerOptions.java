package io.steerguard.shadow;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link ProbeRunner} loads a runtime.
 *
 * @param concurrency       probe pairs in flight at once across all audits (each pair runs its
 *                          steered then its unsteered generation), at least 1
 * @param ratePerSecond     probe pairs started per second across all audits; positive,
 *                          {@link Double#POSITIVE_INFINITY} for no pacing
 * @param generationTimeout longest one generation may take before it counts as an error
 */
public record ProbeRunnerOptions(int concurrency, double ratePerSecond, Duration generationTimeout) {

    public ProbeRunnerOptions {
        Objects.requireNonNull(generationTimeout, "generationTimeout");
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("concurrency must be within [1, 64], got " + concurrency);
        }
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond must be positive, got " + ratePerSecond);
        }
        if (generationTimeout.isNegative() || generationTimeout.isZero()) {
            throw new IllegalArgumentException("generationTimeout must be positive, got " + generationTimeout);
        }
    }
}
