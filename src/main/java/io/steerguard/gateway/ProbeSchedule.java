package io.steerguard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When each profile's next scheduled probe audit is due: {@code initialDelay} after the profile is
 * first seen, then {@code every} after the previous audit finished (scheduled or on demand). The
 * interval is read on every check, so a reload that shortens {@code probes.every} takes effect at once.
 */
final class ProbeSchedule {

    private record Mark(Instant at, boolean audited) {
    }

    private final Duration initialDelay;
    private final Map<String, Mark> marks = new HashMap<>();

    ProbeSchedule(Duration initialDelay) {
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
    }

    /**
     * The profiles due at {@code now}, among those with an interval in {@code every} (profiles no
     * policy probes are forgotten, so they start over with the initial delay if one does later).
     */
    synchronized List<String> due(Map<String, Duration> every, Instant now) {
        marks.keySet().retainAll(every.keySet());
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, Duration> e : every.entrySet()) {
            Mark m = marks.computeIfAbsent(e.getKey(), k -> new Mark(now, false));
            Instant next = m.at().plus(m.audited() ? e.getValue() : initialDelay);
            if (!now.isBefore(next)) {
                due.add(e.getKey());
            }
        }
        due.sort(null);
        return due;
    }

    /** An audit of {@code profile} finished (whatever its outcome) at {@code at}. */
    synchronized void finished(String profile, Instant at) {
        marks.put(profile, new Mark(at, true));
    }
}
