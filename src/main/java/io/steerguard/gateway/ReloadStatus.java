package io.steerguard.gateway;

import java.time.Instant;
import java.util.List;

import io.steerguard.config.ConfigProblem;

/**
 * The result of the last configuration load attempt.
 *
 * @param at          when it ran
 * @param applied     whether it took effect (otherwise the previous configuration stays in force)
 * @param fingerprint content hash of the files read
 * @param problems    errors (when rejected) and warnings
 */
public record ReloadStatus(Instant at, boolean applied, String fingerprint, List<ConfigProblem> problems) {

    public ReloadStatus {
        problems = List.copyOf(problems);
    }
}
