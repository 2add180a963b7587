package io.steerguard.classifier;

import java.util.List;
import java.util.Objects;

/**
 * A verdict with the tiers' readings behind it, for the review queue: {@code verdict} is what the
 * statistics count, {@code tiers} what each tier that ran on the answer said (the deciding one
 * included). A {@code first-available} ensemble runs only its deciding tier, so it lists one.
 */
public record Assessment(Verdict verdict, List<TierReading> tiers) {

    public Assessment {
        Objects.requireNonNull(verdict, "verdict");
        tiers = List.copyOf(tiers);
    }

    /** A verdict whose tier shows nothing more than the verdict. */
    public static Assessment of(Verdict verdict) {
        return new Assessment(verdict, List.of(TierReading.of(verdict)));
    }
}
