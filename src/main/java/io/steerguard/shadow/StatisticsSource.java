package io.steerguard.shadow;

import java.time.Duration;
import java.util.Optional;

/** What a policy decision reads: a snapshot for any window and confidence, and the latest probe run. */
public interface StatisticsSource {

    SafetySnapshot snapshot(Duration window, double confidence);

    Optional<ProbeResult> latestProbe();
}
