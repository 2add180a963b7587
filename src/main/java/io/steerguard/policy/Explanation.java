package io.steerguard.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.RateInterval;
import io.steerguard.shadow.StatisticsJson;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a profile is where it is: the policies that match it, and every limit they set with the
 * current number, its interval and sample count, and the verdict. What {@code policy explain}
 * prints, as text or JSON.
 *
 * @param profile  the profile
 * @param status   its state, when known
 * @param policies names of the matching policies
 * @param decision the engine's decision on the current statistics
 * @param asOf     when the statistics were read
 */
public record Explanation(String profile, Optional<ProfileStatus> status, List<String> policies, Decision decision,
                          Instant asOf) {

    public Explanation {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(asOf, "asOf");
        policies = List.copyOf(policies);
    }

    /** One evaluation in a line, e.g. {@code externality rate 0.200 [0.121, 0.311] n=84 > maxExternalityRate 0.05 (policy default)}. */
    public static String describe(LimitEvaluation e) {
        String relation = switch (e.outcome()) {
            case EXCEEDED -> e.kind().isMaximum() ? "lower bound above" : "upper bound below";
            case WARN -> e.kind().isMaximum() ? "estimate above, interval not conclusive for"
                    : "estimate below, interval not conclusive for";
            case OK -> "within";
            case INSUFFICIENT_SAMPLES -> "not judged (n < " + e.rule().minSamples() + ") for";
        };
        return e.kind().label() + " " + format(e.estimate()) + " " + relation + " " + e.kind().field() + " "
                + number(e.limit()) + " (policy " + e.policy() + ", "
                + StatisticsJson.format(e.rule().window()) + " window, "
                + percent(e.rule().confidence()) + ")";
    }

    /** A report for people. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("profile ").append(profile).append('\n');
        out.append("  state:    ").append(status.map(s -> s.state() + " since " + s.since()
                + (s.policy() != null ? " (policy " + s.policy() + ")" : "")
                + (s.action() != null ? ", requests get " + s.action().configName() : "")).orElse("unknown"))
                .append('\n');
        out.append("  policies: ").append(policies.isEmpty() ? "none match" : String.join(", ", policies))
                .append('\n');
        out.append("  decision: ").append(verdict()).append("  (as of ").append(asOf).append(")\n");
        if (!decision.enoughSamples()) {
            out.append("  note:     some policy has fewer paired samples than its minSamples\n");
        }
        for (LimitEvaluation e : decision.evaluations()) {
            out.append(String.format(Locale.ROOT, "  %-9s %-18s %-7s %-17s n=%-6d %s %-6s %s, %s, min %d, %s%n",
                    e.outcome() == LimitOutcome.INSUFFICIENT_SAMPLES ? "N/A" : e.outcome().name(),
                    e.kind().label(), number(e.estimate().value()), interval(e.estimate()), e.estimate().n(),
                    e.kind().isMaximum() ? "<=" : ">=", number(e.limit()), e.policy(),
                    StatisticsJson.format(e.rule().window()),
                    e.rule().minSamples(), percent(e.rule().confidence())
                            + (e.rule().method() == RateInterval.CONFIDENCE_SEQUENCE ? " sequence" : "")));
        }
        return out.toString();
    }

    /** The same as JSON; NaN (nothing observed) is null. */
    public String json() {
        ObjectNode o = TransitionJson.MAPPER.createObjectNode();
        o.put("profile", profile);
        o.put("asOf", asOf.toString());
        status.ifPresentOrElse(s -> {
            ObjectNode st = o.putObject("status");
            st.put("state", s.state().name());
            st.put("since", s.since().toString());
            st.put("policy", s.policy());
            st.put("action", s.action() == null ? null : s.action().configName());
        }, () -> o.putNull("status"));
        policies.forEach(o.putArray("policies")::add);
        ObjectNode d = o.putObject("decision");
        d.put("verdict", kind());
        if (decision instanceof Decision.Exceeded x) {
            d.put("action", x.action().configName());
            d.put("policy", x.policy());
            d.put("recovery", x.recovery().toString());
        }
        d.put("enoughSamples", decision.enoughSamples());
        ArrayNode limits = o.putArray("limits");
        for (LimitEvaluation e : decision.evaluations()) {
            ObjectNode l = limits.addObject();
            l.put("limit", e.kind().field());
            l.put("policy", e.policy());
            put(l, "bound", e.limit());
            put(l, "value", e.estimate().value());
            put(l, "lower", e.estimate().interval().lower());
            put(l, "upper", e.estimate().interval().upper());
            l.put("samples", e.estimate().n());
            l.put("outcome", e.outcome().name());
            l.put("window", StatisticsJson.format(e.rule().window()));
            l.put("minSamples", e.rule().minSamples());
            l.put("confidence", e.rule().confidence());
            l.put("method", e.rule().method().configName());
            l.put("action", e.action().configName());
        }
        try {
            return TransitionJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private String kind() {
        if (decision instanceof Decision.Exceeded) {
            return "exceeded";
        }
        return decision instanceof Decision.Warn ? "warn" : "healthy";
    }

    private String verdict() {
        if (decision instanceof Decision.Exceeded x) {
            return "EXCEEDED -> " + x.action().configName() + ", decided by policy " + x.policy() + ": "
                    + describe(x.reasons().get(0));
        }
        if (decision instanceof Decision.Warn w) {
            return "WARN: " + describe(w.reasons().get(0));
        }
        return "HEALTHY";
    }

    private static void put(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static String format(Estimate e) {
        return number(e.value()) + " " + interval(e) + " n=" + e.n();
    }

    private static String interval(Estimate e) {
        return "[" + number(e.interval().lower()) + ", " + number(e.interval().upper()) + "]";
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(confidence * 100)
                .setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
    }
}
