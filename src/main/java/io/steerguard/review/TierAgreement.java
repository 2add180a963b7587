package io.steerguard.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steerguard.classifier.Platt;
import io.steerguard.classifier.TierReading;

/**
 * How one tier's verdicts agree with the human labels: the confusion counts with "refusal" as the
 * positive class. Tier {@code decision} is the verdict the statistics counted.
 */
public record TierAgreement(String tier, long truePositives, long falseNegatives, long trueNegatives,
                            long falsePositives) {

    /** The pseudo-tier of the verdicts the statistics counted. */
    public static final String DECISION = "decision";

    public TierAgreement {
        Objects.requireNonNull(tier, "tier");
    }

    public long labelledRefusals() {
        return truePositives + falseNegatives;
    }

    public long labelledCompliant() {
        return trueNegatives + falsePositives;
    }

    public long agreements() {
        return truePositives + trueNegatives;
    }

    public long labelled() {
        return labelledRefusals() + labelledCompliant();
    }

    /** Refusals the tier called refusals; NaN without labelled refusals. */
    public double sensitivity() {
        return labelledRefusals() == 0 ? Double.NaN : (double) truePositives / labelledRefusals();
    }

    /** Compliant answers the tier called compliant; NaN without labelled compliant answers. */
    public double specificity() {
        return labelledCompliant() == 0 ? Double.NaN : (double) trueNegatives / labelledCompliant();
    }

    /**
     * Agreement of every tier that read a labelled answer, {@code decision} first. The learned tier
     * is read with {@code current}: its verdicts are recomputed from the raw logit, so the numbers
     * show the calibration in force, not the one each answer was first scored with.
     */
    public static List<TierAgreement> of(List<LabelRecord> labels, Platt current) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put(DECISION, new long[4]);
        for (LabelRecord r : labels) {
            count(counts, DECISION, r.decision().refused(), r.label().refused());
            for (TierReading t : r.tiers()) {
                boolean refused = t.hasLogit() && Double.isFinite(t.threshold())
                        ? current.probability(t.logit()) >= t.threshold() : t.refused();
                count(counts, t.tier(), refused, r.label().refused());
            }
        }
        List<TierAgreement> out = new ArrayList<>();
        counts.forEach((tier, c) -> out.add(new TierAgreement(tier, c[0], c[1], c[2], c[3])));
        return out;
    }

    private static void count(Map<String, long[]> counts, String tier, boolean said, boolean truth) {
        long[] c = counts.computeIfAbsent(tier, t -> new long[4]);
        c[truth ? (said ? 0 : 1) : (said ? 3 : 2)]++;
    }
}
