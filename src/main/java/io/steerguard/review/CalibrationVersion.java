package io.steerguard.review;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.steerguard.classifier.Platt;

/**
 * One version of the learned tier's calibration, and the audit record of the change that made it.
 * Version 0 is the shipped calibration; each change adds the next version.
 *
 * @param version   1, 2, … in the order written (0: shipped)
 * @param action    what made it
 * @param actor     who asked (the admin API's {@code reviewer}, or {@code calibration-recovery})
 * @param reason    why, in the actor's words
 * @param platt     the calibration in force from this version on
 * @param from      the version in force before (for a rollback, the version it returns to is {@code target})
 * @param target    for a rollback, the version whose calibration it restores; -1 otherwise
 * @param labels    labelled answers the fit used (recalibration), else 0
 * @param refusals  of those, labelled refusals
 * @param compliant of those, labelled compliant
 * @param lossBefore mean log loss on those labels with the calibration replaced (NaN when not fitted)
 * @param lossAfter  mean log loss on those labels with the new calibration (NaN when not fitted)
 */
public record CalibrationVersion(int version, Instant time, Action action, String actor, String reason, Platt platt,
                                 int from, int target, long labels, long refusals, long compliant, double lossBefore,
                                 double lossAfter) {

    /** What made a version. */
    public enum Action {
        SHIPPED, RECALIBRATE, ROLLBACK, RESET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public CalibrationVersion {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(platt, "platt");
    }

    /** Version 0: the calibration the model file ships with. */
    public static CalibrationVersion shipped(Platt platt) {
        return new CalibrationVersion(0, Instant.EPOCH, Action.SHIPPED, "model", "the calibration the model ships with",
                platt, -1, -1, 0, 0, 0, Double.NaN, Double.NaN);
    }

    String json() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("version", version);
        o.put("time", time.toString());
        o.put("action", action.id());
        o.put("actor", actor);
        o.put("reason", reason);
        o.put("a", platt.a());
        o.put("b", platt.b());
        o.put("from", from);
        o.put("target", target);
        o.put("labels", labels);
        o.put("refusals", refusals);
        o.put("compliant", compliant);
        if (Double.isFinite(lossBefore)) {
            o.put("lossBefore", lossBefore);
        }
        if (Double.isFinite(lossAfter)) {
            o.put("lossAfter", lossAfter);
        }
        return o.toString();
    }

    /** @throws IllegalArgumentException when {@code json} is not a calibration record */
    static CalibrationVersion parse(String json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            for (String f : new String[] {"version", "time", "action", "actor", "reason", "a", "b"}) {
                if (!o.hasNonNull(f)) {
                    throw new IllegalArgumentException("missing field " + f);
                }
            }
            return new CalibrationVersion(o.get("version").asInt(), Instant.parse(o.get("time").asText()),
                    Action.valueOf(o.get("action").asText().toUpperCase(Locale.ROOT)), o.get("actor").asText(),
                    o.get("reason").asText(), new Platt(o.get("a").asDouble(), o.get("b").asDouble()),
                    o.path("from").asInt(-1), o.path("target").asInt(-1), o.path("labels").asLong(),
                    o.path("refusals").asLong(), o.path("compliant").asLong(),
                    o.has("lossBefore") ? o.get("lossBefore").asDouble() : Double.NaN,
                    o.has("lossAfter") ? o.get("lossAfter").asDouble() : Double.NaN);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a calibration record: " + e.getMessage(), e);
        }
    }
}
