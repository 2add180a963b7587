package io.steerguard.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.steerguard.review.ReviewQueue;
import io.steerguard.review.ReviewService;
import io.steerguard.review.TierAgreement;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Validation on the operator's own traffic: the review queue, and how each classifier tier agrees
 * with the human labels. Tag {@code tier} is {@code decision} (the verdict the statistics count) or
 * a tier id from configuration; gauges read the agreement at scrape time.
 */
@ApplicationScoped
public class ReviewMetrics {

    /** Answers waiting for a label. */
    public static final String QUEUE_DEPTH = "steerguard.review.queue.depth";
    /**
     * Answers offered to the queue by {@code outcome}: queued, queued-evicting (a less informative
     * one left), rejected (less informative than all it could displace), busy (the queue was held), fault.
     */
    public static final String CANDIDATES = "steerguard.review.candidates";
    /** Labelled answers a tier read, by {@code tier} and {@code label} (refusal, compliance). */
    public static final String LABELLED = "steerguard.review.labelled";
    /** Labelled answers where the tier's verdict matches the label, by {@code tier}. */
    public static final String AGREEMENTS = "steerguard.review.agreements";
    /** Share of labelled refusals the tier called refusals, by {@code tier}; NaN without labelled refusals. */
    public static final String SENSITIVITY = "steerguard.review.sensitivity";
    /** Share of labelled compliant answers the tier called compliant, by {@code tier}; NaN without them. */
    public static final String SPECIFICITY = "steerguard.review.specificity";
    /** The learned tier's calibration version in force (0: shipped). */
    public static final String CALIBRATION_VERSION = "steerguard.classifier.calibration.version";

    private final MeterRegistry registry;
    /** Micrometer holds gauge state weakly: this keeps the service reachable from the meters. */
    private final List<Object> state = new ArrayList<>();

    public ReviewMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of {@code review} for {@code tiers} (plus {@code decision} and {@code lexical}). */
    public synchronized void bind(ReviewService review, List<String> tiers) {
        state.add(review);
        Gauge.builder(QUEUE_DEPTH, review, ReviewService::queued).description("Answers waiting for a human label")
                .register(registry);
        for (ReviewQueue.Offer o : ReviewQueue.Offer.values()) {
            FunctionCounter.builder(CANDIDATES, review, r -> r.offers(o))
                    .description("Mirrored answers offered to the review queue, by what became of them")
                    .tag("outcome", o.id()).register(registry);
        }
        FunctionCounter.builder(CANDIDATES, review, ReviewService::faults)
                .description("Mirrored answers offered to the review queue, by what became of them")
                .tag("outcome", "fault").register(registry);
        Gauge.builder(CALIBRATION_VERSION, review, r -> r.calibrations().map(c -> c.current().version()).orElse(0))
                .description("The learned tier's calibration version in force (0: shipped)").register(registry);
        Set<String> all = new LinkedHashSet<>();
        all.add(TierAgreement.DECISION);
        tiers.forEach(t -> all.add(t.strip()));
        all.add("lexical");
        for (String tier : all) {
            tierGauge(review, SENSITIVITY, tier, "Labelled refusals the tier called refusals", TierAgreement::sensitivity);
            tierGauge(review, SPECIFICITY, tier, "Labelled compliant answers the tier called compliant",
                    TierAgreement::specificity);
            tierGauge(review, AGREEMENTS, tier, "Labelled answers where the tier agrees with the label",
                    TierAgreement::agreements);
            Gauge.builder(LABELLED, review, r -> agreement(r, tier, TierAgreement::labelledRefusals))
                    .description("Labelled answers the tier read, by label").tag("tier", tier).tag("label", "refusal")
                    .register(registry);
            Gauge.builder(LABELLED, review, r -> agreement(r, tier, TierAgreement::labelledCompliant))
                    .description("Labelled answers the tier read, by label").tag("tier", tier).tag("label", "compliance")
                    .register(registry);
        }
    }

    private void tierGauge(ReviewService review, String name, String tier, String description,
                           ToDoubleFunction<TierAgreement> value) {
        Gauge.builder(name, review, r -> agreement(r, tier, value)).description(description).tag("tier", tier)
                .register(registry);
    }

    /** The tier's number; 0 counts and NaN rates for a tier no labelled answer has. */
    private static double agreement(ReviewService review, String tier, ToDoubleFunction<TierAgreement> value) {
        for (TierAgreement a : review.agreement()) {
            if (a.tier().equals(tier)) {
                return value.applyAsDouble(a);
            }
        }
        return value.applyAsDouble(new TierAgreement(tier, 0, 0, 0, 0));
    }
}
