package io.steerguard.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Scheduled probing of a profile with harmful prompts, steered and unsteered, for the ASR uplift.
 *
 * @param every   time between probe runs
 * @param set     {@code builtin} (the shipped probe set) or a path to a JSONL or CSV probe file
 *                (relative to {@code steerguard.config.base-dir}; see {@code io.steerguard.shadow.ProbeSet})
 * @param attacks attack templates each probe is wrapped in ({@code none} sends it as is)
 */
public record ProbeSettings(Duration every, String set, List<String> attacks) {

    public ProbeSettings {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(set, "set");
        if ((every.isNegative() || every.isZero())) {
            throw new IllegalArgumentException("every must be positive, got " + every);
        }
        attacks = List.copyOf(attacks);
        if (attacks.isEmpty()) {
            throw new IllegalArgumentException("attacks must name at least one template");
        }
    }
}
