package io.steerguard.policy;

import static io.steerguard.policy.MeasurementJson.required;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        MeasurementJson.write(o.putArray("numbers"), r.numbers());
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
            List<Measurement> numbers = MeasurementJson.read(o.path("numbers"));
            return new RolloutRecord(Instant.parse(required(o, "time")),
                    new RolloutKey(required(o, "tenant"), required(o, "profile")), required(o, "candidate"),
                    required(o, "candidateFingerprint"), Long.parseLong(required(o, "version")),
                    RolloutPhase.valueOf(required(o, "from")), RolloutPhase.valueOf(required(o, "to")),
                    required(o, "actor"), required(o, "reason"), numbers);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid rollout record: " + e.getMessage());
        }
    }

}
