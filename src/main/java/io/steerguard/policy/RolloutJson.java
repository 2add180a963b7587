package io.steerguard.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One {@link RolloutRecord} as one line of JSON; NaN numbers (nothing observed) are written as null. */
public final class RolloutJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RolloutJson() {
    }

    public static String write(RolloutRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", r.time().toString());
        o.put("tenant", r.key().tenant());
        o.put("profile", r.key().profile());
        o.put("candidate", r.candidate());
        o.put("candidateFingerprint", r.candidateFingerprint());
        o.put("version", r.version());
        o.put("from", r.from().name());
        o.put("to", r.to().name());
        o.put("actor", r.actor());
        o.put("reason", r.reason());
        ArrayNode numbers = o.putArray("numbers");
        for (Measurement m : r.numbers()) {
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
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static RolloutRecord read(String line) {
        JsonNode o;
        try {
            o = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            List<Measurement> numbers = new ArrayList<>();
            for (JsonNode n : o.path("numbers")) {
                numbers.add(new Measurement(required(n, "limit"), required(n, "policy"), number(n, "value"),
                        number(n, "lower"), number(n, "upper"), n.path("samples").asLong(), number(n, "bound"),
                        LimitOutcome.valueOf(required(n, "outcome"))));
            }
            return new RolloutRecord(Instant.parse(required(o, "time")),
                    new RolloutKey(required(o, "tenant"), required(o, "profile")), required(o, "candidate"),
                    required(o, "candidateFingerprint"), Long.parseLong(required(o, "version")),
                    RolloutPhase.valueOf(required(o, "from")), RolloutPhase.valueOf(required(o, "to")),
                    required(o, "actor"), required(o, "reason"), numbers);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid rollout record: " + e.getMessage());
        }
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

    private static String required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v.asText();
    }
}
