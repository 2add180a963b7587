package io.steerguard.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * When each fault is injected, as fractions of the run so that any length covers them all:
 * upstream faults early and late, the admin block before Redis dies (so the block must survive
 * the restart), a half-written config file while Redis is down.
 */
final class FaultSchedule {

    enum Kind { UPSTREAM_FAULT, ADMIN_BLOCK, REDIS_KILL, REDIS_RESTART, HALF_WRITTEN_CONFIG }

    record Step(double at, Kind kind, SoakUpstream.Mode mode, long lengthMillis, String what) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final long durationNanos;
    private int next;

    FaultSchedule(long durationNanos) {
        this.durationNanos = durationNanos;
        steps.add(new Step(0.15, Kind.UPSTREAM_FAULT, SoakUpstream.Mode.RESET, 3000, "upstream resets connections for 3 s"));
        steps.add(new Step(0.25, Kind.ADMIN_BLOCK, null, 0, "admin blocks profile blockme while traffic flows"));
        steps.add(new Step(0.35, Kind.REDIS_KILL, null, 0, "Redis killed (SIGKILL)"));
        steps.add(new Step(0.40, Kind.HALF_WRITTEN_CONFIG, null, 0, "edited.yaml rewritten in place, half-written for 700 ms"));
        steps.add(new Step(0.45, Kind.REDIS_RESTART, null, 0, "Redis restarted from its AOF"));
        steps.add(new Step(0.55, Kind.UPSTREAM_FAULT, SoakUpstream.Mode.STALL, 3000, "upstream stalls after the first event for 3 s"));
        steps.add(new Step(0.65, Kind.UPSTREAM_FAULT, SoakUpstream.Mode.GARBAGE, 3000, "upstream sends garbage events for 3 s"));
        steps.add(new Step(0.75, Kind.HALF_WRITTEN_CONFIG, null, 0, "edited.yaml rewritten in place again"));
    }

    /** The next step whose time has come, or null. */
    Step due(long elapsedNanos) {
        if (next < steps.size() && elapsedNanos >= steps.get(next).at() * durationNanos) {
            return steps.get(next++);
        }
        return null;
    }
}
