package io.steerguard.policy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code numbers} array that transitions and rollout records carry: one object per limit, NaN
 * (nothing observed) written as null. One format, so the audit trail reads the same in both.
 */
final class MeasurementJson {

    private MeasurementJson() {
    }

    static void write(ArrayNode numbers, List<Measurement> measurements) {
        for (Measurement m : measurements) {
            ObjectNode n = numbers.addObject();
            n.put("limit", m.limit());
            n.put("policy", m.policy());
            number(n, "value", m.value());
            number(n, "lower", m.lower());
            number(n, "upper", m.upper());
            n.put("samples", m.samples());
            number(n, "bound", m.bound());
            n.put("outcome", m.outcome().name());
        }
    }

    /** @throws IllegalArgumentException when a field a measurement needs is missing */
    static List<Measurement> read(JsonNode numbers) {
        List<Measurement> out = new ArrayList<>();
        for (JsonNode n : numbers) {
            out.add(new Measurement(required(n, "limit"), required(n, "policy"), number(n, "value"),
                    number(n, "lower"), number(n, "upper"), n.path("samples").asLong(), number(n, "bound"),
                    LimitOutcome.valueOf(required(n, "outcome"))));
        }
        return out;
    }

    /** The text of {@code field}. @throws IllegalArgumentException when it is missing or null */
    static String required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v.asText();
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
