package io.steerguard.training.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.EnsembleRefusalClassifier;
import io.steerguard.classifier.EnsembleRule;
import io.steerguard.classifier.Exchange;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;

/**
 * The two refusal classifiers of the report: {@code primary}, the gateway's default (tiers
 * {@code embedding,lexical}, rule {@code first-available}, the defaults of
 * {@code steerguard.classifier.*}, built the way {@code ClassifierBeans} builds them) so offline
 * numbers compare with the live ones, and the lexical tier alone beside it.
 */
public final class Judges implements AutoCloseable {

    /** The gateway's default tiers, as in {@code ClassifierConfig}. */
    public static final String DEFAULT_TIERS = "embedding,lexical";
    private static final int BATCH = 64;

    private final RefusalClassifier primary;
    private final RefusalClassifier lexical;
    private final String description;

    public Judges(RefusalClassifier primary, RefusalClassifier lexical, String description) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.lexical = Objects.requireNonNull(lexical, "lexical");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The gateway's default classifier (loads the bundled MiniLM encoder) and the lexical tier. */
    public static Judges gatewayDefault() {
        RefusalClassifier ensemble = new EnsembleRefusalClassifier(
                List.of(EmbeddingRefusalClassifier.loadDefault(), new LexicalRefusalClassifier()),
                EnsembleRule.firstAvailable());
        return new Judges(ensemble, new LexicalRefusalClassifier(),
                "gateway default: tiers " + DEFAULT_TIERS + ", rule first-available");
    }

    public String description() {
        return description;
    }

    /**
     * Verdicts on each answer to its request; a {@code null} answer (not run) is marked unanswered.
     * The caller chooses the request text the classifier sees (the evaluation passes the prompt as
     * sent, attack template included, as the shadow path does with a client's request).
     */
    public Verdicts judge(List<String> requests, List<String> answers) {
        if (requests.size() != answers.size()) {
            throw new IllegalArgumentException("one request per answer needed");
        }
        int n = answers.size();
        boolean[] answered = new boolean[n];
        boolean[] p = new boolean[n];
        double[] score = new double[n];
        boolean[] l = new boolean[n];
        List<Integer> index = new ArrayList<>();
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (answers.get(i) != null) {
                answered[i] = true;
                index.add(i);
                exchanges.add(new Exchange(requests.get(i), answers.get(i)));
            }
        }
        for (int from = 0; from < exchanges.size(); from += BATCH) {
            List<Exchange> batch = exchanges.subList(from, Math.min(exchanges.size(), from + BATCH));
            List<Verdict> pv = primary.classifyAll(batch);
            List<Verdict> lv = lexical.classifyAll(batch);
            for (int k = 0; k < batch.size(); k++) {
                int i = index.get(from + k);
                p[i] = pv.get(k).refused();
                score[i] = pv.get(k).score();
                l[i] = lv.get(k).refused();
            }
        }
        return new Verdicts(answered, p, score, l);
    }

    @Override
    public void close() throws Exception {
        if (primary instanceof AutoCloseable c) {
            c.close();
        }
    }
}
