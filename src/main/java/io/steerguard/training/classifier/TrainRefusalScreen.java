package io.steerguard.training.classifier;

import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.LanguageGate;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.LogisticHead;
import io.steerguard.classifier.training.LogisticRegressionTrainer;
import io.steerguard.classifier.RefusalFeatures;
import io.steerguard.classifier.ScreenCutoffs;
import io.steerguard.classifier.ScreenFeatures;
import io.steerguard.classifier.ScreenModel;
import io.steerguard.classifier.training.SourcedExample;

import dev.langchain4j.model.embedding.EmbeddingModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the cascade's screen ({@link ScreenModel}) against the shipped learned model and writes the
 * model file and docs/classifier-cascade.md.
 *
 * <pre>
 * target/steerguard train-screen [--data DIR] [--seed N]
 * </pre>
 * Same data and split as {@code TrainRefusalModel}: GPTFuzz train + team-written train rows, a fifth of
 * them (hash of seed and answer) the validation split. The screen's weights are fitted on the other four
 * fifths (the learned model's weights saw the same four fifths); L2 and both cut-offs are chosen on the
 * validation fifth ({@link ScreenCutoffs}). The test sets (GPTFuzz test, JailbreakBench artifacts,
 * team-written test rows) are only scored, after everything is chosen. Embeddings come from
 * {@code TrainRefusalModel}'s cache when it is there.
 */
public final class TrainRefusalScreen {

    static final int BUCKETS = 1024;
    static final double[] L2_GRID = {1e-3, 3e-3, 1e-2, 3e-2};
    static final int ITERATIONS = 1500;

    /** One answer with what both tiers see of it. */
    record Row(SourcedExample example, RefusalFeatures.View view, float[] screenX, boolean learnedRefused) {
    }

    /** Trains the screen on the labelled answers in {@code data} and writes the screen and its report. */
    public static void run(Path data, long seed) throws Exception {
        LearnedHead learned = LearnedHead.read(Path.of("src/main/resources/" + LearnedHead.RESOURCE));
        FeatureCache cache = new FeatureCache(Path.of("target/refusal-features.cache"));
        EmbeddingModel encoder = EmbeddingRefusalClassifier.newEncoder();

        Map<String, List<SourcedExample>> sets = new LinkedHashMap<>();
        for (String name : List.of("gptfuzz-train", "gptfuzz-test", "jbb-artifacts")) {
            sets.put(name, SourcedExample.readGzipJsonl(data.resolve(name + ".jsonl.gz")));
        }
        List<SourcedExample> templates = SourcedExample.templates();
        sets.put("templates-train", templates.stream().filter(e -> e.split().equals("train")).toList());
        sets.put("templates-test", templates.stream().filter(e -> e.split().equals("test")).toList());

        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, List<SourcedExample>> set : sets.entrySet()) {
            List<SourcedExample> kept = set.getValue().stream().filter(e -> LanguageGate.supported(e.response())).toList();
            List<RefusalFeatures.View> views = kept.stream().map(e -> RefusalFeatures.of(e.prompt(), e.response())).toList();
            float[][][] emb = cache.embed(encoder, views);
            List<Row> r = new ArrayList<>();
            for (int i = 0; i < kept.size(); i++) {
                double z = learned.logit(emb[i][0], emb[i][1], views.get(i).lexical());
                r.add(new Row(kept.get(i), views.get(i), ScreenFeatures.of(views.get(i), BUCKETS),
                        learned.calibrated(z) >= learned.threshold()));
            }
            rows.put(set.getKey(), r);
            System.err.printf("%s: %d rows%n", set.getKey(), r.size());
        }

        List<Row> fitRows = new ArrayList<>();
        List<Row> validation = new ArrayList<>();
        for (String name : List.of("gptfuzz-train", "templates-train")) {
            for (Row r : rows.get(name)) {
                (validationFifth(seed, r.example()) ? validation : fitRows).add(r);
            }
        }
        ScreenModel screen = fit(fitRows, validation, learned, seed);

        // scored only now, with the screen and its cut-offs fixed
        Map<String, CascadeReport.Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put("validation fifth (chose the cut-offs)", score(screen, validation));
        Map<String, Map<String, Double>> measured = new LinkedHashMap<>();
        for (String name : List.of("gptfuzz-test", "jbb-artifacts", "templates-test")) {
            CascadeReport.Outcome o = score(screen, rows.get(name));
            outcomes.put(name, o);
            measured.put(name, counts(o.cascade(), o.screened()));
        }
        screen = screen.withMetrics(measured);
        screen.write(Path.of("src/main/resources/" + ScreenModel.RESOURCE));
        Path report = Path.of("docs/classifier-cascade.md");
        CascadeReport.write(report, seed, screen, outcomes);
        System.err.println("wrote src/main/resources/" + ScreenModel.RESOURCE + " and " + report);
    }

    static ScreenModel fit(List<Row> fitRows, List<Row> validation, LearnedHead learned, long seed) {
        float[][] x = fitRows.stream().map(Row::screenX).toArray(float[][]::new);
        boolean[] y = labels(fitRows);
        LogisticRegressionTrainer.Fit best = null;
        double bestL2 = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double l2 : L2_GRID) {
            LogisticRegressionTrainer.Fit f = new LogisticRegressionTrainer(l2, ITERATIONS, 1e-6).fit(x, y);
            double loss = 0;
            for (Row r : validation) {
                double p = LogisticHead.sigmoid(logit(f, r.screenX()));
                loss -= Math.log(Math.max(1e-12, r.example().refused() ? p : 1 - p));
            }
            loss /= validation.size();
            System.err.printf("screen l2 %.0e: validation log loss %.4f (%d iterations)%n", l2, loss, f.iterations());
            if (loss < bestLoss) {
                bestLoss = loss;
                best = f;
                bestL2 = l2;
            }
        }
        double[] z = new double[validation.size()];
        boolean[] refused = labels(validation);
        boolean[] learnedCorrect = new boolean[validation.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = logit(best, validation.get(i).screenX());
            learnedCorrect[i] = validation.get(i).learnedRefused() == refused[i];
        }
        ScreenCutoffs.Choice c = ScreenCutoffs.choose(z, refused, learnedCorrect);
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("answers", (double) z.length);
        stats.put("compliantDecided", (double) c.compliantDecided());
        stats.put("compliantScreenErrors", (double) c.compliantScreenErrors());
        stats.put("compliantLearnedErrors", (double) c.compliantLearnedErrors());
        stats.put("refusalDecided", (double) c.refusalDecided());
        stats.put("refusalScreenErrors", (double) c.refusalScreenErrors());
        stats.put("refusalLearnedErrors", (double) c.refusalLearnedErrors());
        ScreenModel screen = new ScreenModel(BUCKETS, RefusalFeatures.LEXICAL_NAMES, best.weights(), best.bias(), c.lower(),
                c.upper(), ScreenModel.fingerprint(learned), bestL2, seed, stats, Map.of());
        // the serving path computes the logit sparsely from the text: it must agree with the dense training features
        for (Row r : validation) {
            double dense = logit(best, r.screenX());
            double served = screen.logit(r.view());
            if (Math.abs(dense - served) > 1e-6 * Math.max(1, Math.abs(dense))) {
                throw new IllegalStateException("served screen logit " + served + " differs from the trained " + dense);
            }
        }
        return screen;
    }

    /** The learned tier alone and the cascade on one set, exactly as the classifier decides. */
    static CascadeReport.Outcome score(ScreenModel screen, List<Row> rows) {
        BinaryMetrics learned = BinaryMetrics.empty();
        BinaryMetrics cascade = BinaryMetrics.empty();
        int screened = 0;
        for (Row r : rows) {
            double z = screen.logit(r.view());
            boolean refused = r.learnedRefused();
            if (z <= screen.lower()) {
                refused = false;
                screened++;
            } else if (z >= screen.upper()) {
                refused = true;
                screened++;
            }
            learned = learned.add(r.learnedRefused(), r.example().refused());
            cascade = cascade.add(refused, r.example().refused());
        }
        return new CascadeReport.Outcome(learned, cascade, screened);
    }

    private static Map<String, Double> counts(BinaryMetrics m, int screened) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("n", (double) m.total());
        out.put("screened", (double) screened);
        out.put("accuracy", Math.round(m.accuracy() * 10000) / 10000.0);
        out.put("truePositives", (double) m.truePositives());
        out.put("falsePositives", (double) m.falsePositives());
        out.put("trueNegatives", (double) m.trueNegatives());
        out.put("falseNegatives", (double) m.falseNegatives());
        return out;
    }

    private static double logit(LogisticRegressionTrainer.Fit f, float[] x) {
        double z = f.bias();
        for (int j = 0; j < x.length; j++) {
            z += f.weights()[j] * x[j];
        }
        return z;
    }

    private static boolean[] labels(List<Row> rows) {
        boolean[] y = new boolean[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.get(i).example().refused();
        }
        return y;
    }

    /** The same split as TrainRefusalModel's: SHA-256 of seed, NUL, answer; first byte mod 5 is 0. */
    static boolean validationFifth(long seed, SourcedExample e) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + "\u0000" + e.response()).getBytes(StandardCharsets.UTF_8));
            return Math.floorMod(h[0], 5) == 0;
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private TrainRefusalScreen() {
    }
}
