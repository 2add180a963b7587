package io.steerguard.cli;

import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.EnsembleRefusalClassifier;
import io.steerguard.classifier.EnsembleRule;
import io.steerguard.classifier.Exchange;
import io.steerguard.classifier.LanguageGate;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.LogisticHead;
import io.steerguard.classifier.training.LogisticRegressionTrainer;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.RefusalFeatures;
import io.steerguard.classifier.training.SourcedExample;
import io.steerguard.classifier.Verdict;

import dev.langchain4j.model.embedding.EmbeddingModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.steerguard.training.classifier.FeatureCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the learned tier ({@link LearnedHead}) on labelled answers of real chat models and writes
 * the model file, the evaluation report and the calibration plot.
 *
 * <p>Training set: GPTFuzz's labelled train split plus the team-written train rows. A fifth of it,
 * chosen by a hash of the seed and the answer, is the validation split: it picks the L2 strength
 * (lowest log loss) and fits the Platt scaling; the other four fifths fit the weights. Evaluation:
 * GPTFuzz's own test split (in-source), the JailbreakBench artifacts (cross-source: no row of that
 * source is seen in training), the team-written test rows, and the reverse cross-source fit
 * (JailbreakBench + templates → GPTFuzz test). Full-batch, single-threaded optimisation; the same
 * seed and data give the same model. Progress goes to standard error.
 */
@Command(name = "train-classifier", description = "Train the learned refusal tier on labelled answers of real chat "
        + "models; writes the model file, docs/classifier-evaluation.md and the calibration plot.")
public final class TrainRefusalModel extends ToolCommand {

    @Option(names = "--data", defaultValue = "datasets/refusal", paramLabel = "DIR", description = "Labelled answers "
            + "(default: ${DEFAULT-VALUE}).")
    Path data;
    @Option(names = "--seed", defaultValue = "20261202", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--model", defaultValue = "src/main/resources/" + LearnedHead.RESOURCE, paramLabel = "FILE",
            description = "Model file to write (default: ${DEFAULT-VALUE}).")
    Path modelFile;
    @Option(names = "--report", defaultValue = "docs/classifier-evaluation.md", paramLabel = "FILE",
            description = "Report to write (default: ${DEFAULT-VALUE}).")
    Path reportFile;
    @Option(names = "--plot", defaultValue = "docs/img/classifier-calibration.png", paramLabel = "FILE",
            description = "Calibration plot to write (default: ${DEFAULT-VALUE}).")
    Path plotFile;
    @Option(names = "--cache", defaultValue = "target/refusal-features.cache", paramLabel = "FILE",
            description = "Feature cache (default: ${DEFAULT-VALUE}).")
    Path cacheFile;

    static final double[] L2_GRID = {1e-3, 3e-3, 1e-2, 3e-2};
    static final int ITERATIONS = 1500;

    /** One answer with its features. */
    record Row(SourcedExample example, float[] x) {
    }

    /** An evaluation: confusion matrix, abstentions, calibrated scores (NaN where abstained). */
    record Evaluation(BinaryMetrics metrics, int abstained, double[] scores, boolean[] labels, List<SourcedExample> rows,
                      boolean[] predicted) {
    }

    @Override
    public Integer call() throws Exception {
        FeatureCache cache = new FeatureCache(cacheFile);

        Map<String, List<SourcedExample>> sets = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : List.of("gptfuzz-train", "gptfuzz-test", "jbb-artifacts")) {
            Path file = data.resolve(name + ".jsonl.gz");
            sets.put(name, SourcedExample.readGzipJsonl(file));
            sources.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)));
        }
        List<SourcedExample> templates = SourcedExample.templates();
        sets.put("templates-train", templates.stream().filter(e -> e.split().equals("train")).toList());
        sets.put("templates-test", templates.stream().filter(e -> e.split().equals("test")).toList());
        sources.put("classifier/refusal-dataset.jsonl", io.steerguard.classifier.training.RefusalDataset.hash(
                io.steerguard.classifier.training.RefusalDataset.readResourceText()));

        EmbeddingModel encoder = EmbeddingRefusalClassifier.newEncoder();
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        Map<String, Integer> abstained = new LinkedHashMap<>();
        for (Map.Entry<String, List<SourcedExample>> set : sets.entrySet()) {
            List<SourcedExample> kept = set.getValue().stream().filter(e -> LanguageGate.supported(e.response())).toList();
            abstained.put(set.getKey(), set.getValue().size() - kept.size());
            List<RefusalFeatures.View> views = kept.stream().map(e -> RefusalFeatures.of(e.prompt(), e.response())).toList();
            float[][][] emb = cache.embed(encoder, views);
            List<Row> r = new ArrayList<>();
            for (int i = 0; i < kept.size(); i++) {
                r.add(new Row(kept.get(i), LearnedHead.concat(emb[i][0], emb[i][1], views.get(i).lexical())));
            }
            rows.put(set.getKey(), r);
            System.err.printf("%s: %d rows, %d abstained%n", set.getKey(), kept.size(), abstained.get(set.getKey()));
        }

        List<Row> train = concat(rows.get("gptfuzz-train"), rows.get("templates-train"));
        LearnedHead shipped = fit(train, seed, encoder.dimension(), sources, Map.of());
        Map<String, Evaluation> evaluations = new LinkedHashMap<>();
        for (String name : List.of("gptfuzz-test", "jbb-artifacts", "templates-test")) {
            evaluations.put(name, evaluate(shipped, rows.get(name), abstained.get(name)));
        }
        LearnedHead reverse = fit(concat(rows.get("jbb-artifacts"), rows.get("templates-train")), seed,
                encoder.dimension(), sources, Map.of());
        Evaluation reverseEval = evaluate(reverse, rows.get("gptfuzz-test"), abstained.get("gptfuzz-test"));

        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        evaluations.forEach((name, e) -> metrics.put(name, summary(e)));
        metrics.put("gptfuzz-test (trained on jbb-artifacts + templates)", summary(reverseEval));
        LearnedHead toShip = new LearnedHead(shipped.encoder(), shipped.dimension(), shipped.lexical(), shipped.weights(),
                shipped.bias(), shipped.plattA(), shipped.plattB(), shipped.threshold(), shipped.l2(), seed, sources, metrics);
        toShip.write(modelFile);

        Map<String, Map<String, BinaryMetrics>> baselines = baselines(encoder, sets, abstained.keySet());
        EvaluationReport.write(reportFile, seed, toShip, sets, abstained, evaluations, reverseEval, baselines);
        CalibrationPlot.write(plotFile, "Learned tier: reliability on held-out answers", List.of(
                series("GPTFuzz test (in-source)", evaluations.get("gptfuzz-test")),
                series("JailbreakBench (cross-source)", evaluations.get("jbb-artifacts")),
                series("templates test", evaluations.get("templates-test"))));
        System.err.println("wrote " + modelFile + ", " + reportFile + ", " + plotFile);
        return Exit.OK;
    }

    /** Fits weights on four fifths of {@code train}, L2 and Platt scaling on the remaining fifth. */
    static LearnedHead fit(List<Row> train, long seed, int dimension, Map<String, String> sources,
                           Map<String, Map<String, Double>> metrics) {
        List<Row> fitRows = new ArrayList<>();
        List<Row> validation = new ArrayList<>();
        for (Row r : train) {
            (validationFifth(seed, r.example()) ? validation : fitRows).add(r);
        }
        float[][] x = fitRows.stream().map(Row::x).toArray(float[][]::new);
        boolean[] y = labels(fitRows);
        boolean[] yVal = labels(validation);
        LogisticRegressionTrainer.Fit best = null;
        double bestL2 = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double l2 : L2_GRID) {
            LogisticRegressionTrainer.Fit f = new LogisticRegressionTrainer(l2, ITERATIONS, 1e-6).fit(x, y);
            double loss = 0;
            for (int i = 0; i < validation.size(); i++) {
                double p = LogisticHead.sigmoid(logit(f, validation.get(i).x()));
                loss -= Math.log(Math.max(1e-12, yVal[i] ? p : 1 - p));
            }
            loss /= validation.size();
            System.err.printf("l2 %.0e: validation log loss %.4f (%d iterations)%n", l2, loss, f.iterations());
            if (loss < bestLoss) {
                bestLoss = loss;
                best = f;
                bestL2 = l2;
            }
        }
        float[][] z = new float[validation.size()][1];
        for (int i = 0; i < validation.size(); i++) {
            z[i][0] = (float) logit(best, validation.get(i).x());
        }
        // Platt scaling: a one-feature logistic regression of the label on the raw logit.
        LogisticRegressionTrainer.Fit platt = new LogisticRegressionTrainer(0, 2000, 1e-9).fit(z, yVal);
        return new LearnedHead(EmbeddingRefusalClassifier.MODEL_ID, dimension, RefusalFeatures.LEXICAL_NAMES,
                best.weights(), best.bias(), platt.weights()[0], platt.bias(), 0.5, bestL2, seed, sources, metrics);
    }

    static Evaluation evaluate(LearnedHead head, List<Row> rows, int abstained) {
        BinaryMetrics m = BinaryMetrics.empty();
        double[] scores = new double[rows.size()];
        boolean[] labels = labels(rows);
        boolean[] predicted = new boolean[rows.size()];
        int d = head.dimension();
        for (int i = 0; i < rows.size(); i++) {
            float[] x = rows.get(i).x();
            double z = head.bias();
            for (int j = 0; j < x.length; j++) {
                z += head.weights()[j] * x[j];
            }
            scores[i] = head.calibrated(z);
            predicted[i] = scores[i] >= head.threshold();
            m = m.add(predicted[i], labels[i]);
        }
        return new Evaluation(m, abstained, scores, labels, rows.stream().map(Row::example).toList(), predicted);
    }

    /** The previous default (embedding head, lexical fallback) and the lexical tier alone, on the evaluation sets. */
    private static Map<String, Map<String, BinaryMetrics>> baselines(EmbeddingModel encoder, Map<String, List<SourcedExample>> sets,
                                                                     java.util.Set<String> names) {
        RefusalClassifier lexical = new LexicalRefusalClassifier();
        RefusalClassifier previous = new EnsembleRefusalClassifier(List.of(
                new EmbeddingRefusalClassifier(encoder, LogisticHead.loadResource()), lexical), EnsembleRule.firstAvailable());
        Map<String, Map<String, BinaryMetrics>> out = new LinkedHashMap<>();
        for (String name : List.of("gptfuzz-test", "jbb-artifacts", "templates-test")) {
            List<SourcedExample> kept = sets.get(name).stream().filter(e -> LanguageGate.supported(e.response())).toList();
            List<Exchange> exchanges = kept.stream().map(SourcedExample::exchange).toList();
            Map<String, BinaryMetrics> byClassifier = new LinkedHashMap<>();
            byClassifier.put("lexical", score(lexical.classifyAll(exchanges), kept));
            byClassifier.put("previous default (embedding, lexical; first-available)", score(previous.classifyAll(exchanges), kept));
            out.put(name, byClassifier);
        }
        return out;
    }

    private static BinaryMetrics score(List<Verdict> verdicts, List<SourcedExample> rows) {
        BinaryMetrics m = BinaryMetrics.empty();
        for (int i = 0; i < rows.size(); i++) {
            m = m.add(verdicts.get(i).refused(), rows.get(i).refused());
        }
        return m;
    }

    static Map<String, Double> summary(Evaluation e) {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("n", (double) e.metrics().total());
        s.put("abstained", (double) e.abstained());
        s.put("accuracy", round(e.metrics().accuracy()));
        s.put("compliantCalledRefusal", round(e.metrics().falseRefusalRate()));
        s.put("refusalMissed", round(e.metrics().missedRefusalRate()));
        s.put("truePositives", (double) e.metrics().truePositives());
        s.put("falsePositives", (double) e.metrics().falsePositives());
        s.put("trueNegatives", (double) e.metrics().trueNegatives());
        s.put("falseNegatives", (double) e.metrics().falseNegatives());
        return s;
    }

    private static CalibrationPlot.Series series(String name, Evaluation e) {
        return new CalibrationPlot.Series(name, e.scores(), e.labels());
    }

    private static double logit(LogisticRegressionTrainer.Fit f, float[] x) {
        double z = f.bias();
        for (int j = 0; j < x.length; j++) {
            z += f.weights()[j] * x[j];
        }
        return z;
    }

    static boolean validationFifth(long seed, SourcedExample e) {
        byte[] h = sha256Bytes((seed + "\u0000" + e.response()).getBytes(StandardCharsets.UTF_8));
        return Math.floorMod(h[0], 5) == 0;
    }

    private static boolean[] labels(List<Row> rows) {
        boolean[] y = new boolean[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.get(i).example().refused();
        }
        return y;
    }

    private static List<Row> concat(List<Row> a, List<Row> b) {
        List<Row> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Bytes(bytes));
    }

    private static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
