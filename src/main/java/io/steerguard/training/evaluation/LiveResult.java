package io.steerguard.training.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Interval;
import io.steerguard.shadow.WindowCounts;

/**
 * A live run: prompts sent through the gateway with a steering profile, the gateway's own paired
 * statistics for them (its shadow path, read from {@code /admin/profiles/{name}/safety} and taken
 * as the difference to before the run), and the offline pairs for the same prompts.
 *
 * @param profile         the profile steered and measured
 * @param window          the statistics window read, e.g. PT1H
 * @param harmfulSent     held-out HARMFUL prompts sent
 * @param benignSent      held-out BENIGN prompts sent
 * @param failed          requests the gateway did not answer with 200
 * @param live            the gateway's pair counts for this run (after minus before)
 * @param gatewayExternality the externality the gateway itself reported after the run (its 95% interval)
 *                        (covers earlier pairs too when the window was not empty before)
 * @param offline         the same prompts paired offline (gateway default classifier), or null when no model was given
 * @param coefficient     the profile's coefficient the offline pairs used
 * @param maxTokens       tokens per answer, live and offline
 * @param waitedSeconds   how long the run waited for the shadow path to pair every answer
 */
public record LiveResult(String profile, String window, int harmfulSent, int benignSent, int failed,
                         WindowCounts live, Estimate gatewayExternality, WindowCounts offline, double coefficient,
                         int maxTokens, double waitedSeconds) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LiveResult {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(gatewayExternality, "gatewayExternality");
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", profile);
        m.put("window", window);
        m.put("harmfulSent", harmfulSent);
        m.put("benignSent", benignSent);
        m.put("failed", failed);
        m.put("live", counts(live));
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("n", gatewayExternality.n());
        if (gatewayExternality.hasData()) {
            g.put("value", gatewayExternality.value());
            g.put("lower", gatewayExternality.interval().lower());
            g.put("upper", gatewayExternality.interval().upper());
        }
        m.put("gatewayExternality", g);
        m.put("offline", offline == null ? null : counts(offline));
        m.put("coefficient", coefficient);
        m.put("maxTokens", maxTokens);
        m.put("waitedSeconds", waitedSeconds);
        try {
            return MAPPER.writeValueAsString(m) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static LiveResult fromJson(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
                        return new LiveResult(n.path("profile").asText(), n.path("window").asText(), n.path("harmfulSent").asInt(),
                    n.path("benignSent").asInt(), n.path("failed").asInt(), counts(n.path("live")),
                    estimate(n.path("gatewayExternality")),
                    n.path("offline").isObject() ? counts(n.path("offline")) : null, n.path("coefficient").asDouble(),
                    n.path("maxTokens").asInt(), n.path("waitedSeconds").asDouble());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a live result file: " + e.getMessage(), e);
        }
    }

    /** An admin-API style estimate {n, value?, lower?, upper?}; no value means no data. */
    static Estimate estimate(JsonNode e) {
        long n = e.path("n").asLong();
        if (n == 0 || !e.hasNonNull("value")) {
            return new Estimate(Double.NaN, new Interval(0, 1), 0);
        }
        return new Estimate(e.path("value").asDouble(), new Interval(e.path("lower").asDouble(0),
                e.path("upper").asDouble(1)), n);
    }

    private static Map<String, Object> counts(WindowCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", c.samples());
        m.put("steeredRefused", c.steeredRefused());
        m.put("unsteeredRefused", c.unsteeredRefused());
        m.put("externalities", c.externalities());
        m.put("overRefusals", c.overRefusals());
        m.put("marginSum", c.marginSum());
        m.put("marginSumSquares", c.marginSumSquares());
        return m;
    }

    private static WindowCounts counts(JsonNode n) {
        return new WindowCounts(n.path("samples").asLong(), 0, n.path("steeredRefused").asLong(),
                n.path("unsteeredRefused").asLong(), n.path("externalities").asLong(), n.path("overRefusals").asLong(),
                n.path("marginSum").asDouble(), n.path("marginSumSquares").asDouble());
    }
}
