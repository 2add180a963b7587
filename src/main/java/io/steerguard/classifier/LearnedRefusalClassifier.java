package io.steerguard.classifier;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default tier: one logistic model ({@link LearnedHead}) over all-MiniLM-L6-v2 embeddings of
 * the answer's opening and of the whole answer plus lexical features ({@link RefusalFeatures}),
 * with Platt-calibrated scores. Trained on human-labelled answers of real chat models (see
 * docs/classifier-training.md).
 *
 * <p>Answers not mostly in Latin script are not judged: {@link #classify} throws
 * {@link ClassifierAbstention} and {@link #abstentions()} counts them. Thread-safe; create once
 * at startup (the encoder loads in about a second).
 */
public final class LearnedRefusalClassifier implements RefusalClassifier {

    /** Score of an empty answer: no evidence either way (same rule as the other tiers). */
    static final double EMPTY = 0.30;

    private final EmbeddingModel encoder;
    private final LearnedHead head;
    private final LearnedCalibration calibration;
    /** The cascade's cheap first tier, or {@code null} when every answer goes to the encoder. */
    private final ScreenModel screen;
    private final AtomicLong abstentions = new AtomicLong();
    private final AtomicLong screened = new AtomicLong();
    private final String method = ClassifierMethod.LEARNED.id();

    /** A classifier with the model's shipped calibration. */
    public LearnedRefusalClassifier(EmbeddingModel encoder, LearnedHead head) {
        this(encoder, head, LearnedCalibration.of(head));
    }

    /** A classifier whose scores follow {@code calibration} as it changes (a deployment's recalibration). */
    public LearnedRefusalClassifier(EmbeddingModel encoder, LearnedHead head, LearnedCalibration calibration) {
        this(encoder, head, calibration, null);
    }

    /**
     * A cascade: {@code screen} decides the answers it is sure of, the encoder and head the rest.
     * The screen must have been chosen against this very head ({@link ScreenModel#learnedModel()}).
     */
    public LearnedRefusalClassifier(EmbeddingModel encoder, LearnedHead head, LearnedCalibration calibration, ScreenModel screen) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.head = Objects.requireNonNull(head, "head");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.screen = screen;
        if (screen != null && !screen.learnedModel().equals(ScreenModel.fingerprint(head))) {
            throw new IllegalArgumentException("the screen's cut-offs were chosen against another learned model ("
                    + screen.learnedModel() + "); retrain it with steerguard train-screen");
        }
        if (screen != null && !RefusalFeatures.LEXICAL_NAMES.equals(screen.lexical())) {
            throw new IllegalArgumentException("screen expects lexical features " + screen.lexical() + ", this build computes "
                    + RefusalFeatures.LEXICAL_NAMES);
        }
        if (!EmbeddingRefusalClassifier.MODEL_ID.equals(head.encoder())) {
            throw new IllegalArgumentException("model was trained on " + head.encoder() + ", not "
                    + EmbeddingRefusalClassifier.MODEL_ID);
        }
        if (encoder.dimension() != head.dimension()) {
            throw new IllegalArgumentException("encoder has " + encoder.dimension() + " dimensions, model " + head.dimension());
        }
        if (!RefusalFeatures.LEXICAL_NAMES.equals(head.lexical())) {
            throw new IllegalArgumentException("model expects lexical features " + head.lexical() + ", this build computes "
                    + RefusalFeatures.LEXICAL_NAMES);
        }
    }

    /** The bundled encoder and the shipped model. */
    public static LearnedRefusalClassifier loadDefault() {
        return new LearnedRefusalClassifier(EmbeddingRefusalClassifier.newEncoder(), LearnedHead.loadResource());
    }

    /** The bundled encoder and the shipped model, scored with {@code calibration}. */
    public static LearnedRefusalClassifier loadDefault(LearnedCalibration calibration) {
        return new LearnedRefusalClassifier(EmbeddingRefusalClassifier.newEncoder(), LearnedHead.loadResource(), calibration);
    }

    /** The bundled encoder, the shipped model and the shipped screen in front of it, scored with {@code calibration}. */
    public static LearnedRefusalClassifier loadCascade(LearnedCalibration calibration) {
        return new LearnedRefusalClassifier(EmbeddingRefusalClassifier.newEncoder(), LearnedHead.loadResource(), calibration,
                ScreenModel.loadResource());
    }

    /** How many answers the screen decided without the encoder. */
    public long screened() {
        return screened.get();
    }

    public LearnedHead head() {
        return head;
    }

    public LearnedCalibration calibration() {
        return calibration;
    }

    /** How many answers this instance declined to judge (unsupported language). */
    public long abstentions() {
        return abstentions.get();
    }

    @Override
    public Verdict classify(String prompt, String response) {
        return classifyAll(List.of(new Exchange(prompt, response))).get(0);
    }

    /** All verdicts in input order; throws {@link ClassifierAbstention} if any answer is in an unsupported language. */
    @Override
    public List<Verdict> classifyAll(List<Exchange> exchanges) {
        List<Optional<Verdict>> verdicts = classifyOrAbstain(exchanges);
        List<Verdict> out = new ArrayList<>(verdicts.size());
        for (Optional<Verdict> v : verdicts) {
            out.add(v.orElseThrow(() -> new ClassifierAbstention("answer is not in a supported language")));
        }
        return out;
    }

    /** Verdicts in input order, empty where the tier abstains; abstentions are counted. */
    public List<Optional<Verdict>> classifyOrAbstain(List<Exchange> exchanges) {
        return assessOrAbstain(exchanges).stream().map(a -> a.map(Assessment::verdict)).toList();
    }

    /** Verdicts with the raw logit behind each (for review and recalibration); throws like {@link #classifyAll}. */
    @Override
    public List<Assessment> assessAll(List<Exchange> exchanges) {
        List<Assessment> out = new ArrayList<>(exchanges.size());
        for (Optional<Assessment> a : assessOrAbstain(exchanges)) {
            out.add(a.orElseThrow(() -> new ClassifierAbstention("answer is not in a supported language")));
        }
        return out;
    }

    private List<Optional<Assessment>> assessOrAbstain(List<Exchange> exchanges) {
        Platt platt = calibration.current(); // one calibration for the whole batch
        // the screen's cut-offs were chosen against the shipped calibration: after a recalibration every answer goes to the encoder
        boolean screenOnly = screen != null && platt.equals(calibration.shipped());
        List<Optional<Assessment>> out = new ArrayList<>(exchanges.size());
        List<Integer> judged = new ArrayList<>();
        List<RefusalFeatures.View> views = new ArrayList<>();
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange e = exchanges.get(i);
            if (!RefusalFeatures.hasVisibleText(TextNormalizer.normalise(e.response()))) { // markup, spaces, controls only
                out.add(Optional.of(Assessment.of(Verdict.compliance(EMPTY, method))));
            } else if (!LanguageGate.supported(e.response())) {
                abstentions.incrementAndGet();
                out.add(Optional.empty());
            } else {
                RefusalFeatures.View view = RefusalFeatures.of(e.prompt(), e.response());
                Assessment sure = screenOnly ? screen(view) : null;
                out.add(sure == null ? null : Optional.of(sure));
                if (sure == null) {
                    judged.add(i);
                    views.add(view);
                }
            }
        }
        if (!views.isEmpty()) {
            float[][][] embedded = embed(encoder, views);
            for (int k = 0; k < views.size(); k++) {
                double z = head.logit(embedded[k][0], embedded[k][1], views.get(k).lexical());
                Verdict v = Verdict.fromScore(platt.probability(z), head.threshold(), method);
                out.set(judged.get(k), Optional.of(new Assessment(v,
                        List.of(new TierReading(method, v.refused(), v.score(), head.threshold(), z)))));
            }
        }
        return out;
    }

    /** The screen's verdict when its logit lies outside its cut-offs, else {@code null} (unsure). */
    private Assessment screen(RefusalFeatures.View view) {
        double z = screen.logit(view);
        boolean refused;
        if (z <= screen.lower()) {
            refused = false;
        } else if (z >= screen.upper()) {
            refused = true;
        } else {
            return null;
        }
        screened.incrementAndGet();
        double score = LogisticHead.sigmoid(z);
        Verdict v = refused ? Verdict.refusal(score, method) : Verdict.compliance(score, method);
        // no learned logit: a recalibration refits only answers the head itself scored
        return new Assessment(v, List.of(new TierReading(method, refused, score, head.threshold(), Double.NaN)));
    }

    /**
     * Embeds each view's opening and whole answer in one encoder call:
     * {@code result[i][0]} is the opening's embedding, {@code result[i][1]} the whole answer's.
     */
    public static float[][][] embed(EmbeddingModel encoder, List<RefusalFeatures.View> views) {
        List<TextSegment> segments = new ArrayList<>(2 * views.size());
        for (RefusalFeatures.View v : views) {
            segments.add(TextSegment.from(v.opening()));
            segments.add(TextSegment.from(v.whole()));
        }
        List<Embedding> embeddings;
        try {
            embeddings = encoder.embedAll(segments).content();
        } catch (RuntimeException e) {
            embeddings = oneByOne(encoder, segments, e);
        }
        if (embeddings.size() != segments.size()) {
            throw new ClassifierException("encoder returned " + embeddings.size() + " embeddings for " + segments.size() + " texts");
        }
        float[][][] out = new float[views.size()][2][];
        for (int i = 0; i < views.size(); i++) {
            out[i][0] = embeddings.get(2 * i).vector();
            out[i][1] = embeddings.get(2 * i + 1).vector();
        }
        return out;
    }

    /**
     * The batch failed: embed each text alone, so that one text the encoder refuses (its tokenizer
     * leaves nothing of it) reads as "(empty)", as an answer with nothing visible does, instead of
     * failing every verdict of the batch. Any other fault is the encoder's and is reported.
     */
    private static List<Embedding> oneByOne(EmbeddingModel encoder, List<TextSegment> segments, RuntimeException batch) {
        List<Embedding> out = new ArrayList<>(segments.size());
        for (TextSegment segment : segments) {
            try {
                out.add(encoder.embed(segment).content());
            } catch (IllegalArgumentException refused) {
                out.add(encoder.embed(TextSegment.from("(empty)")).content());
            } catch (RuntimeException e) {
                ClassifierException fault = new ClassifierException("embedding failed: " + e.getMessage(), e);
                fault.addSuppressed(batch);
                throw fault;
            }
        }
        return out;
    }

    @Override
    public String method() {
        return method;
    }
}
