package io.steerguard.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.steerguard.classifier.TierReading;
import io.steerguard.classifier.Verdict;

/**
 * One human label, as the label log keeps it: who said what about which answer, what it said before,
 * and the classifiers' readings of the answer (so that agreement and recalibration survive a restart
 * without keeping the answer's text on disk).
 *
 * @param previous the label this one replaced, null for the first
 */
public record LabelRecord(Instant time, String id, String tenant, String profile, ReviewSide side, ReviewLabel label,
                          String reviewer, ReviewLabel previous, Verdict decision, List<TierReading> tiers) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public LabelRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(decision, "decision");
        tiers = List.copyOf(tiers);
    }

    /** The first label of a queued item. */
    public static LabelRecord of(ReviewItem item, ReviewLabel label, String reviewer, Instant time) {
        return new LabelRecord(time, item.id(), item.tenant(), item.profile(), item.side(), label, reviewer, null,
                item.decision(), item.tiers());
    }

    /** This answer labelled again. */
    public LabelRecord relabel(ReviewLabel label, String reviewer, Instant time) {
        return new LabelRecord(time, id, tenant, profile, side, label, reviewer, this.label, decision, tiers);
    }

    /** The learned tier's raw logit, NaN when that tier did not read the answer. */
    public double learnedLogit() {
        return tiers.stream().filter(TierReading::hasLogit).mapToDouble(TierReading::logit).findFirst().orElse(Double.NaN);
    }

    String json() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", time.toString());
        o.put("id", id);
        o.put("tenant", tenant);
        o.put("profile", profile);
        o.put("side", side.id());
        o.put("label", label.id());
        o.put("reviewer", reviewer);
        if (previous != null) {
            o.put("previous", previous.id());
        }
        ObjectNode d = o.putObject("decision");
        d.put("refused", decision.refused());
        d.put("score", decision.score());
        d.put("method", decision.method());
        ArrayNode t = o.putArray("tiers");
        for (TierReading r : tiers) {
            ObjectNode n = t.addObject();
            n.put("tier", r.tier());
            n.put("refused", r.refused());
            n.put("score", r.score());
            if (Double.isFinite(r.threshold())) {
                n.put("threshold", r.threshold());
            }
            if (r.hasLogit()) {
                n.put("logit", r.logit());
            }
        }
        return o.toString();
    }

    /** @throws IllegalArgumentException when {@code json} is not a label record */
    static LabelRecord parse(String json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            JsonNode d = o.path("decision");
            List<TierReading> tiers = new ArrayList<>();
            for (JsonNode n : o.path("tiers")) {
                tiers.add(new TierReading(text(n, "tier"), n.path("refused").asBoolean(), n.path("score").asDouble(),
                        n.has("threshold") ? n.get("threshold").asDouble() : Double.NaN,
                        n.has("logit") ? n.get("logit").asDouble() : Double.NaN));
            }
            return new LabelRecord(Instant.parse(text(o, "time")), text(o, "id"), text(o, "tenant"), text(o, "profile"),
                    ReviewSide.fromId(text(o, "side")), label(text(o, "label")), text(o, "reviewer"),
                    o.has("previous") ? label(text(o, "previous")) : null,
                    new Verdict(d.path("refused").asBoolean(), d.path("score").asDouble(), text(d, "method")), tiers);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a label record: " + e.getMessage(), e);
        }
    }

    private static ReviewLabel label(String id) {
        return ReviewLabel.parse(id).orElseThrow(() -> new IllegalArgumentException("unknown label " + id));
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return n.asText();
    }
}
