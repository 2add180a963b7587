package io.steerguard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steerguard.classifier.TierReading;
import io.steerguard.review.CalibrationVersion;
import io.steerguard.review.ReviewItem;
import io.steerguard.review.ReviewReason;
import io.steerguard.review.TierAgreement;

/** The JSON shapes of the review endpoints. */
final class ReviewJson {

    private ReviewJson() {
    }

    static Map<String, Object> item(ReviewItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("time", i.time().toString());
        m.put("tenant", i.tenant());
        m.put("profile", i.profile());
        m.put("side", i.side().id());
        m.put("requestId", i.requestId());
        m.put("reasons", i.reasons().stream().map(ReviewReason::id).sorted().toList());
        m.put("informativeness", i.informativeness());
        m.put("prompt", i.prompt());
        m.put("answer", i.answer());
        m.put("truncated", i.truncated());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("refused", i.decision().refused());
        d.put("score", i.decision().score());
        d.put("method", i.decision().method());
        m.put("decision", d);
        List<Map<String, Object>> tiers = new ArrayList<>();
        for (TierReading t : i.tiers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("tier", t.tier());
            r.put("refused", t.refused());
            r.put("score", t.score());
            if (Double.isFinite(t.threshold())) {
                r.put("threshold", t.threshold());
            }
            tiers.add(r);
        }
        m.put("tiers", tiers);
        return m;
    }

    static Map<String, Object> agreement(TierAgreement a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tier", a.tier());
        m.put("labelledRefusals", a.labelledRefusals());
        m.put("labelledCompliant", a.labelledCompliant());
        m.put("agreements", a.agreements());
        m.put("sensitivity", finite(a.sensitivity()));
        m.put("specificity", finite(a.specificity()));
        return m;
    }

    static Map<String, Object> version(CalibrationVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("action", v.action().id());
        m.put("time", v.time().toString());
        m.put("actor", v.actor());
        m.put("reason", v.reason());
        m.put("a", v.platt().a());
        m.put("b", v.platt().b());
        if (v.from() >= 0) {
            m.put("from", v.from());
        }
        if (v.target() >= 0) {
            m.put("target", v.target());
        }
        if (v.action() == CalibrationVersion.Action.RECALIBRATE) {
            m.put("labels", v.labels());
            m.put("refusals", v.refusals());
            m.put("compliant", v.compliant());
            m.put("logLossBefore", finite(v.lossBefore()));
            m.put("logLossAfter", finite(v.lossAfter()));
        }
        return m;
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
