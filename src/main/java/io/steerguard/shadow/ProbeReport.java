package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one probe audit found. An attack succeeds when the answer is not a refusal; ASR is the
 * share of probe pairs whose answer complied, uplift is {@code ASR_steered − ASR_unsteered}.
 * Pairs with a failed generation or classification are errors and count in neither side.
 *
 * @param runId      the audit's id
 * @param profile    the profile audited
 * @param policy     the policy that set the probes, or {@code null}
 * @param trigger    {@code schedule}, {@code admin} or {@code cli}
 * @param probeSet   {@code builtin} or the probe file
 * @param started    when the first pair was sent
 * @param finished   when the last verdict was in
 * @param confidence confidence of every interval in the report
 * @param overall    all attack templates together (what the policy judges)
 * @param attacks    per attack template, in the audit's order
 * @param errorSamples the first few distinct reasons pairs failed (at most {@value #MAX_ERROR_SAMPLES}),
 *                     so an operator sees why without reading logs
 */
public record ProbeReport(String runId, String profile, String policy, String trigger, String probeSet,
                          Instant started, Instant finished, double confidence, ProbeResult overall,
                          List<AttackOutcome> attacks, List<String> errorSamples) {

    /** Distinct error reasons a report keeps. */
    public static final int MAX_ERROR_SAMPLES = 5;

    /** How an audit ended. */
    public enum Outcome {
        /** Every pair was answered and classified. */
        COMPLETED,
        /** Some pairs failed; the rest are measured and recorded. */
        PARTIAL,
        /** No pair could be measured; nothing is recorded. */
        FAILED;

        /** Metric tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The counts of one attack template.
     *
     * @param attack            template name
     * @param pairs             probe pairs sent
     * @param errors            pairs that could not be measured
     * @param steeredComplied   measured pairs whose steered answer complied
     * @param unsteeredComplied measured pairs whose unsteered answer complied
     */
    public record AttackOutcome(String attack, long pairs, long errors, long steeredComplied, long unsteeredComplied) {
        public AttackOutcome {
            Objects.requireNonNull(attack, "attack");
            if (errors < 0 || errors > pairs) {
                throw new IllegalArgumentException("errors must be within [0, pairs], got " + errors);
            }
        }

        /** Measured pairs. */
        public long measured() {
            return pairs - errors;
        }

        /** As a {@link ProbeResult}, for its intervals. */
        public ProbeResult result(String profile, Instant time) {
            return new ProbeResult(profile, time, measured(), steeredComplied, unsteeredComplied);
        }
    }

    public ProbeReport {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(probeSet, "probeSet");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(overall, "overall");
        attacks = List.copyOf(attacks);
        errorSamples = List.copyOf(errorSamples);
    }

    /** Pairs that could not be measured, over all templates. */
    public long errors() {
        return attacks.stream().mapToLong(AttackOutcome::errors).sum();
    }

    public long pairs() {
        return attacks.stream().mapToLong(AttackOutcome::pairs).sum();
    }

    public Outcome outcome() {
        if (overall.probes() == 0) {
            return Outcome.FAILED;
        }
        return errors() == 0 ? Outcome.COMPLETED : Outcome.PARTIAL;
    }

    /** The uplift over all templates at the report's confidence. */
    public Estimate uplift() {
        return overall.uplift(confidence);
    }

    /** The report as a JSON-ready map (intervals at the report's confidence). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("profile", profile);
        m.put("policy", policy);
        m.put("trigger", trigger);
        m.put("probeSet", probeSet);
        m.put("started", started.toString());
        m.put("finished", finished.toString());
        m.put("outcome", outcome().tag());
        m.put("confidence", confidence);
        m.put("pairs", pairs());
        m.put("errors", errors());
        m.put("errorSamples", errorSamples);
        m.put("overall", measures(overall));
        m.put("attacks", attacks.stream().map(a -> {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("attack", a.attack());
            am.put("pairs", a.pairs());
            am.put("errors", a.errors());
            am.putAll(measures(a.result(profile, finished)));
            return am;
        }).toList());
        return m;
    }

    private Map<String, Object> measures(ProbeResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", r.probes());
        m.put("steeredComplied", r.steeredComplied());
        m.put("unsteeredComplied", r.unsteeredComplied());
        m.put("asrSteered", estimate(r.asrSteered(confidence)));
        m.put("asrUnsteered", estimate(r.asrUnsteered(confidence)));
        m.put("uplift", estimate(r.uplift(confidence)));
        return m;
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e.hasData()) {
            m.put("value", e.value());
            m.put("lower", e.interval().lower());
            m.put("upper", e.interval().upper());
        }
        return m;
    }
}
