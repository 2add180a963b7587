package io.steerguard.review;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import io.steerguard.classifier.Assessment;
import io.steerguard.classifier.ClassifierMethod;
import io.steerguard.classifier.LearnedCalibration;
import io.steerguard.classifier.Platt;
import io.steerguard.classifier.PlattFit;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.TierReading;
import io.steerguard.classifier.Verdict;

/**
 * Validation on the operator's own traffic: mirrored answers the tiers disagree on, or whose score
 * lies near the threshold, wait in a {@link ReviewQueue}; people label them ({@link #label}); the
 * labels give each tier's agreement ({@link #agreement()}) and refit the learned tier's calibration
 * ({@link #recalibrate}), which is versioned, audited and can be rolled back ({@link #rollback}).
 *
 * <p>{@link #offer} runs on the shadow path's classifier threads: it adds the lexical tier's
 * reading where the configured tiers did not produce one (a regular-expression pass, microseconds),
 * never waits for a lock and never throws.
 */
public final class ReviewService implements ReviewTap, java.io.Closeable {

    private final ReviewSettings settings;
    private final ReviewQueue queue;
    private final LabelStore labels;
    private final CalibrationStore calibrations;
    private final LearnedCalibration learned;
    private final RefusalClassifier lexical;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final Map<ReviewQueue.Offer, LongAdder> offers = new EnumMap<>(ReviewQueue.Offer.class);
    private final LongAdder faults = new LongAdder();
    private final Object writes = new Object();
    private volatile List<TierAgreement> agreement;

    /**
     * @param labels       the label log, or null when it could not be opened (labels are then refused)
     * @param calibrations the calibration log, or null when it could not be opened (the shipped calibration stays)
     * @param learned      the learned tier's calibration, or null when that tier is not configured
     * @param lexical      the second opinion added to every answer the configured tiers left it out of
     */
    public ReviewService(ReviewSettings settings, ReviewQueue queue, LabelStore labels, CalibrationStore calibrations,
                         LearnedCalibration learned, RefusalClassifier lexical, Clock clock) {
        this.settings = settings;
        this.queue = queue;
        this.labels = labels;
        this.calibrations = calibrations;
        this.learned = learned;
        this.lexical = lexical;
        this.clock = clock;
        for (ReviewQueue.Offer o : ReviewQueue.Offer.values()) {
            offers.put(o, new LongAdder());
        }
        if (learned != null && calibrations != null) {
            learned.use(calibrations.current().platt());
        }
        refreshAgreement();
    }

    // --- the tap ---

    @Override
    public void offer(MirroredPair pair) {
        try {
            candidate(pair, ReviewSide.STEERED, pair.steeredAnswer(), pair.steered());
            candidate(pair, ReviewSide.UNSTEERED, pair.unsteeredAnswer(), pair.unsteered());
        } catch (RuntimeException e) {
            faults.increment(); // a review fault must never reach the shadow path
        }
    }

    private void candidate(MirroredPair pair, ReviewSide side, String answer, Assessment assessment) {
        List<TierReading> tiers = new ArrayList<>(assessment.tiers());
        if (tiers.stream().noneMatch(t -> t.tier().equals(ClassifierMethod.LEXICAL.id()))) {
            tiers.add(TierReading.of(lexical.classify(pair.prompt(), answer)));
        }
        Verdict decision = assessment.verdict();
        boolean disagree = tiers.stream().anyMatch(t -> t.refused() != decision.refused());
        double threshold = tiers.stream().filter(t -> t.tier().equals(decision.method()) && Double.isFinite(t.threshold()))
                .mapToDouble(TierReading::threshold).findFirst().orElse(0.5);
        double distance = Math.abs(decision.score() - threshold);
        double closeness = settings.band() > 0 ? Math.max(0, 1 - distance / settings.band()) : (distance == 0 ? 1 : 0);
        boolean near = distance <= settings.band();
        if (!disagree && !near) {
            return;
        }
        Set<ReviewReason> reasons = EnumSet.noneOf(ReviewReason.class);
        if (disagree) {
            reasons.add(ReviewReason.DISAGREEMENT);
        }
        if (near) {
            reasons.add(ReviewReason.NEAR_THRESHOLD);
        }
        String prompt = cut(pair.prompt());
        String text = cut(answer);
        ReviewItem item = new ReviewItem(newId(), seq.incrementAndGet(), clock.instant(), pair.tenant(), pair.profile(),
                side, pair.requestId(), prompt, text, prompt.length() < pair.prompt().length()
                || text.length() < answer.length(), decision, tiers, reasons, (disagree ? 1 : 0) + (near ? closeness : 0));
        offers.get(queue.offer(item)).increment();
    }

    private String cut(String text) {
        int max = settings.maxTextChars();
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max; // never half a character
        return text.substring(0, end);
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "rv_" + String.format("%016x%04x", r.nextLong(), r.nextInt(0x10000));
    }

    // --- reading ---

    public ReviewQueue.Page pending(long after, int limit, Predicate<ReviewItem> filter) {
        return queue.page(after, limit, filter);
    }

    public Optional<LabelRecord> label(String id) {
        return labels == null ? Optional.empty() : labels.latest(id);
    }

    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return queue.capacity();
    }

    /** Offers so far that ended as {@code outcome}. */
    public long offers(ReviewQueue.Offer outcome) {
        return offers.get(outcome).sum();
    }

    /** Offers that failed inside the review path (counted, never thrown). */
    public long faults() {
        return faults.sum();
    }

    /** Each tier's agreement with the labels, {@code decision} first. */
    public List<TierAgreement> agreement() {
        return agreement;
    }

    /** Labelled answers now remembered. */
    public int labelled() {
        return labels == null ? 0 : labels.all().size();
    }

    public Optional<CalibrationStore> calibrations() {
        return Optional.ofNullable(calibrations);
    }

    public Optional<LearnedCalibration> learned() {
        return Optional.ofNullable(learned);
    }

    public ReviewSettings settings() {
        return settings;
    }

    // --- labelling ---

    /** Applies every label of the batch or none; a label an answer already has changes nothing. */
    public LabelOutcome label(List<LabelRequest> requests) {
        if (labels == null) {
            return new LabelOutcome.NotPersisted("the label log could not be opened at start-up");
        }
        synchronized (writes) {
            Map<String, LabelRecord> pending = new HashMap<>();
            List<LabelRecord> toWrite = new ArrayList<>();
            List<LabelOutcome.Result> results = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                LabelRequest r = requests.get(i);
                LabelRecord before = pending.containsKey(r.id()) ? pending.get(r.id()) : labels.latest(r.id()).orElse(null);
                LabelRecord next;
                if (before != null) {
                    if (before.label() == r.label()) {
                        results.add(new LabelOutcome.Result(r.id(), r.label(), before.label(), false));
                        continue;
                    }
                    next = before.relabel(r.label(), r.reviewer(), clock.instant());
                } else {
                    Optional<ReviewItem> item = queue.get(r.id());
                    if (item.isEmpty()) {
                        return new LabelOutcome.UnknownId(i, r.id());
                    }
                    next = LabelRecord.of(item.get(), r.label(), r.reviewer(), clock.instant());
                }
                pending.put(r.id(), next);
                toWrite.add(next);
                results.add(new LabelOutcome.Result(r.id(), r.label(), next.previous(), true));
            }
            try {
                labels.append(toWrite);
            } catch (IOException e) {
                return new LabelOutcome.NotPersisted(e.getMessage());
            }
            toWrite.forEach(r -> queue.remove(r.id()));
            refreshAgreement();
            return new LabelOutcome.Applied(results);
        }
    }

    // --- calibration ---

    /** Refits the learned tier's Platt scaling on every labelled answer it scored, and puts it in force. */
    public CalibrationOutcome recalibrate(String actor, String reason) {
        if (learned == null) {
            return new CalibrationOutcome.NoLearnedTier();
        }
        if (calibrations == null || labels == null) {
            return new CalibrationOutcome.Unavailable("the calibration or label log could not be opened at start-up");
        }
        synchronized (writes) {
            List<LabelRecord> usable = labels.all().stream().filter(r -> Double.isFinite(r.learnedLogit())).toList();
            double[] z = new double[usable.size()];
            boolean[] y = new boolean[usable.size()];
            long refusals = 0;
            for (int i = 0; i < usable.size(); i++) {
                z[i] = usable.get(i).learnedLogit();
                y[i] = usable.get(i).label().refused();
                refusals += y[i] ? 1 : 0;
            }
            long compliant = usable.size() - refusals;
            if (usable.size() < settings.minLabels() || refusals < settings.minPerClass()
                    || compliant < settings.minPerClass()) {
                return new CalibrationOutcome.TooFewLabels(usable.size(), refusals, compliant, settings.minLabels(),
                        settings.minPerClass());
            }
            Platt before = learned.current();
            Platt fitted = PlattFit.fit(z, y);
            try {
                CalibrationVersion v = calibrations.append(CalibrationVersion.Action.RECALIBRATE, actor, reason, fitted,
                        -1, usable.size(), refusals, compliant, PlattFit.logLoss(before, z, y), PlattFit.logLoss(fitted, z, y));
                return changed(v);
            } catch (IOException e) {
                return new CalibrationOutcome.Unavailable(e.getMessage());
            }
        }
    }

    /** Puts version {@code target}'s calibration back in force (0: the shipped one), as a new version. */
    public CalibrationOutcome rollback(int target, String actor, String reason) {
        if (learned == null) {
            return new CalibrationOutcome.NoLearnedTier();
        }
        if (calibrations == null) {
            return new CalibrationOutcome.Unavailable("the calibration log could not be opened at start-up");
        }
        synchronized (writes) {
            Optional<CalibrationVersion> to = calibrations.version(target);
            if (to.isEmpty()) {
                return new CalibrationOutcome.UnknownVersion(target, calibrations.current().version());
            }
            try {
                return changed(calibrations.append(CalibrationVersion.Action.ROLLBACK, actor, reason, to.get().platt(),
                        target, 0, 0, 0, Double.NaN, Double.NaN));
            } catch (IOException e) {
                return new CalibrationOutcome.Unavailable(e.getMessage());
            }
        }
    }

    private CalibrationOutcome changed(CalibrationVersion v) {
        learned.use(v.platt());
        refreshAgreement();
        return new CalibrationOutcome.Changed(v);
    }

    private void refreshAgreement() {
        Platt platt = learned == null ? new Platt(1, 0) : learned.current();
        agreement = List.copyOf(TierAgreement.of(labels == null ? List.of() : labels.all(), platt));
    }

    @Override
    public void close() {
        for (java.io.Closeable c : new java.io.Closeable[] {labels, calibrations}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                // closing at shutdown: nothing left to lose, every write was forced when made
            }
        }
    }
}
