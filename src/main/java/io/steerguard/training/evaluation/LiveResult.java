package io.steerguard.training.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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
 * @param gatewayExternality the externality the gateway itself reported after the run: n, value, lower, upper
 *                        (covers earlier pairs too when the window was not empty before)
 * @param offline         the same prompts paired offline (gateway default classifier), or null when no model was given
 * @param coefficient     the profile's coefficient the offline pairs used
 * @param maxTokens       tokens per answer, live and offline
 * @param waitedSeconds   how long the run waited for the shadow path to pair every answer
 */
public record LiveResult(String profile, String window, int harmfulSent, int benignSent, int failed,
                         WindowCounts live, double[] gatewayExternality, WindowCounts offline, double coefficient,
                         int maxTokens, double waitedSeconds) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LiveResult {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(gatewayExternality, "gatewayExternality");
        if (gatewayExternality.length != 4) {
            throw new IllegalArgumentException("gatewayExternality needs n, value, lower, upper");
        }
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", profile);
        m.put("window", window);
        m.put("harmfulSent", harmfulSent);
        m.put("benignSent", benignSent);
        m.put("failed", failed);
        m.put("live", counts(live));
        m.put("gatewayExternality", gatewayExternality);
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
            JsonNode g = n.path("gatewayExternality");
            return new LiveResult(n.path("profile").asText(), n.path("window").asText(), n.path("harmfulSent").asInt(),
                    n.path("benignSent").asInt(), n.path("failed").asInt(), counts(n.path("live")),
                    new double[] {g.path(0).asDouble(), g.path(1).asDouble(Double.NaN), g.path(2).asDouble(),
                            g.path(3).asDouble()},
                    n.path("offline").isObject() ? counts(n.path("offline")) : null, n.path("coefficient").asDouble(),
                    n.path("maxTokens").asInt(), n.path("waitedSeconds").asDouble());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a live result file: " + e.getMessage(), e);
        }
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
