package io.steerguard.shadow;

import io.steerguard.stats.Wilson;
import io.steerguard.stats.RateInterval;
import java.time.Duration;
import java.util.Optional;

/** What a policy decision reads: a snapshot for any window and confidence, and the latest probe run. */
public interface StatisticsSource {

    /** The snapshot with fixed-sample (Wilson) intervals. */
    default SafetySnapshot snapshot(Duration window, double confidence) {
        return snapshot(window, confidence, RateInterval.FIXED_SAMPLE);
    }

    /** The snapshot with the externality and over-refusal intervals built by {@code method}. */
    SafetySnapshot snapshot(Duration window, double confidence, RateInterval method);

    Optional<ProbeResult> latestProbe();
}
