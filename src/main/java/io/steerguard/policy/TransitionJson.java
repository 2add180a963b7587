package io.steerguard.policy;

import static io.steerguard.policy.MeasurementJson.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One {@link Transition} as one line of JSON (no newline inside: Jackson escapes them in strings).
 * Numbers that are NaN (nothing observed) are written as null.
 */
public final class TransitionJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private TransitionJson() {
    }

    public static String write(Transition t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", t.time().toString());
        o.put("profile", t.profile());
        o.put("from", t.from() == null ? null : t.from().name());
        o.put("to", t.to().name());
        o.put("actor", t.actor());
        o.put("reason", t.reason());
        o.put("policy", t.policy());
        o.put("action", t.action() == null ? null : t.action().configName());
        if (t.recovery() != null) {
            o.put("recovery", t.recovery().mode().name().toLowerCase(java.util.Locale.ROOT));
            o.put("cooldown", t.recovery().cooldown().toString());
        }
        o.put("fingerprint", t.fingerprint());
        MeasurementJson.write(o.putArray("numbers"), t.numbers());
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static Transition read(String line) {
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
            Recovery recovery = null;
            if (text(o, "recovery") != null) {
                recovery = "auto".equals(text(o, "recovery")) ? Recovery.auto(Duration.parse(text(o, "cooldown")))
                        : Recovery.MANUAL;
            }
            List<Measurement> numbers = MeasurementJson.read(o.path("numbers"));
            String from = text(o, "from");
            String action = text(o, "action");
            return new Transition(Instant.parse(required(o, "time")), required(o, "profile"),
                    from == null ? null : ProfileState.valueOf(from), ProfileState.valueOf(required(o, "to")),
                    required(o, "actor"), required(o, "reason"), text(o, "policy"),
                    action == null ? null : PolicyAction.fromConfigName(action), recovery, required(o, "fingerprint"),
                    numbers);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid transition: " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

}
