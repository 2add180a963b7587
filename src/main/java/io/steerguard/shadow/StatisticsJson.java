package io.steerguard.shadow;

import io.steerguard.stats.RateInterval;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile's raw window counts and latest probe run as JSON, the form {@code policy explain --stats}
 * reads offline and a live endpoint can serve:
 * <pre>
 * {"profile": "json-format", "asOf": "2026-03-01T12:00:00Z",
 *  "windows": {"1h": {"samples": 120, "probeSamples": 0, "steeredRefused": 9, "unsteeredRefused": 40,
 *                     "externalities": 6, "overRefusals": 1, "marginSum": -4.2, "marginSumSquares": 3.1}},
 *  "probe": {"time": "2026-03-01T11:50:00Z", "probes": 100, "steeredComplied": 12, "unsteeredComplied": 3}}
 * </pre>
 * Window keys are durations like {@code 5m}, {@code 1h}, {@code 24h}. Counts rather than rates are
 * stored, so intervals can be recomputed at any confidence.
 */
public final class StatisticsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** A parsed statistics file: fixed counts, judged as they are. */
    public record Parsed(String profile, Instant asOf, Map<Duration, WindowCounts> windows,
                         Optional<ProbeResult> probe) implements StatisticsSource {
        public Parsed {
            windows = Map.copyOf(windows);
        }

        /** A window the file does not hold is empty. */
        @Override
        public SafetySnapshot snapshot(Duration window, double confidence, RateInterval method) {
            return SafetySnapshot.of(window, asOf, windows.getOrDefault(window, WindowCounts.EMPTY), confidence,
                    ClassifierError.NONE, method);
        }

        @Override
        public Optional<ProbeResult> latestProbe() {
            return probe;
        }
    }

    private StatisticsJson() {
    }

    public static String write(ProfileStatistics stats, Instant asOf) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("profile", stats.profile());
        o.put("asOf", asOf.toString());
        ObjectNode windows = o.putObject("windows");
        for (Duration w : stats.windows()) {
            WindowCounts c = stats.snapshot(w, 0.95).counts();
            ObjectNode n = windows.putObject(format(w));
            n.put("samples", c.samples());
            n.put("probeSamples", c.probeSamples());
            n.put("steeredRefused", c.steeredRefused());
            n.put("unsteeredRefused", c.unsteeredRefused());
            n.put("externalities", c.externalities());
            n.put("overRefusals", c.overRefusals());
            n.put("marginSum", c.marginSum());
            n.put("marginSumSquares", c.marginSumSquares());
        }
        stats.latestProbe().ifPresent(p -> {
            ObjectNode n = o.putObject("probe");
            n.put("time", p.time().toString());
            n.put("probes", p.probes());
            n.put("steeredComplied", p.steeredComplied());
            n.put("unsteeredComplied", p.unsteeredComplied());
        });
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** @throws IllegalArgumentException naming the field that is missing or wrong */
    public static Parsed read(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        String profile = text(o, "profile");
        Instant asOf = o.hasNonNull("asOf") ? Instant.parse(o.get("asOf").asText()) : Instant.now();
        Map<Duration, WindowCounts> windows = new LinkedHashMap<>();
        o.path("windows").fields().forEachRemaining(e -> {
            JsonNode n = e.getValue();
            try {
                windows.put(parse(e.getKey()), new WindowCounts(n.path("samples").asLong(),
                        n.path("probeSamples").asLong(), n.path("steeredRefused").asLong(),
                        n.path("unsteeredRefused").asLong(), n.path("externalities").asLong(),
                        n.path("overRefusals").asLong(), n.path("marginSum").asDouble(),
                        n.path("marginSumSquares").asDouble()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("windows." + e.getKey() + ": " + ex.getMessage());
            }
        });
        Optional<ProbeResult> probe = Optional.empty();
        if (o.hasNonNull("probe")) {
            JsonNode p = o.get("probe");
            try {
                probe = Optional.of(new ProbeResult(profile, Instant.parse(text(p, "time")), p.path("probes").asLong(),
                        p.path("steeredComplied").asLong(), p.path("unsteeredComplied").asLong()));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("probe: " + ex.getMessage());
            }
        }
        return new Parsed(profile, asOf, windows, probe);
    }

    /** {@code 1h}, {@code 5m}, {@code 24h}: the largest whole unit, as policies write durations. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like 5m, 1h or 24h, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String text(JsonNode o, String field) {
        if (!o.hasNonNull(field)) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return o.get(field).asText();
    }
}
