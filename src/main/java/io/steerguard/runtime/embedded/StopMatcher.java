package io.steerguard.runtime.embedded;

import java.util.List;
import java.util.Objects;

/**
 * Finds stop strings in streamed text. Text that might be the beginning of a stop string is held
 * back until the next delta shows whether it is; on a match the text before the stop string is
 * emitted and the stop string itself never is. Generation ends as soon as any stop string is
 * complete; when several complete in the same delta, the one that starts first wins. One matcher
 * per sequence; not thread-safe.
 */
public final class StopMatcher {

    /** What a delta released, and whether a stop string ended the sequence. */
    public record Result(String emit, boolean stopped) {
        public Result {
            Objects.requireNonNull(emit, "emit");
        }
    }

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopMatcher(List<String> stops) {
        Objects.requireNonNull(stops, "stops");
        for (String s : stops) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must be non-empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Adds generated text; after a stop everything further is swallowed. */
    public Result push(String delta) {
        Objects.requireNonNull(delta, "delta");
        if (stopped) {
            return new Result("", true);
        }
        pending.append(delta);
        int match = earliestMatch();
        if (match >= 0) {
            String emit = pending.substring(0, match);
            pending.setLength(0);
            stopped = true;
            return new Result(emit, true);
        }
        int keep = longestStopPrefixSuffix();
        String emit = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return new Result(emit, false);
    }

    /** Releases held-back text at the end of the sequence: it never became a stop string. */
    public String flush() {
        String rest = stopped ? "" : pending.toString();
        pending.setLength(0);
        return rest;
    }

    private int earliestMatch() {
        int best = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest end of the pending text that is a proper start of some stop string. */
    private int longestStopPrefixSuffix() {
        int longest = 0;
        String text = pending.toString();
        int len = text.length();
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, len); k > longest; k--) {
                if (stop.regionMatches(0, text, len - k, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }
}
