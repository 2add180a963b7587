package io.steerguard.cli;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.EmbeddingInput;
import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.training.LabelledExample;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.LogisticHead;
import io.steerguard.classifier.training.LogisticRegressionTrainer;
import io.steerguard.classifier.training.RefusalDataset;
import io.steerguard.classifier.training.RefusalDatasetGenerator;
import io.steerguard.classifier.Verdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains the embedding tier's logistic head and writes the head file and the training report.
 *
 * <pre>
 * java io.steerguard.cli.TrainRefusalHead [--generate] [--seed N] [--dataset FILE] [--head FILE]
 *      [--report FILE] [--max-chars N]
 * </pre>
 * {@code --generate} first rewrites the dataset from {@link RefusalDatasetGenerator}. Model
 * selection (input text: response or prompt+response; L2 strength) uses a validation fifth of
 * the train split chosen by the seed; the chosen setting is refitted on the whole train split,
 * its threshold picked on train, and only then scored on the held-out split. Exit codes: 0 done,
 * 1 failure, 2 bad arguments.
 */
public final class TrainRefusalHead {

    static final double[] L2_GRID = {1e-3, 1e-2, 3e-2, 1e-1, 3e-1};
    private static final int ITERATIONS = 3000;

    /** Per input mode: features for every row. */
    record Features(EmbeddingInput input, float[][] x, long embedMillis) {
    }

    /** One validation run of the grid. */
    record Candidate(EmbeddingInput input, double l2, double validationAccuracy) {
    }

    /** A head refitted on all of train and scored on test. */
    record Scored(EmbeddingInput input, double l2, LogisticHead head, BinaryMetrics train, BinaryMetrics test,
                  Map<String, BinaryMetrics> testByKind, long trainMillis) {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("training failed: " + e);
            System.exit(1);
        }
    }

    static int run(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        long seed = Long.parseLong(opts.getOrDefault("seed", "20261127"));
        Path datasetFile = Path.of(opts.getOrDefault("dataset", "src/main/resources/" + RefusalDataset.RESOURCE));
        Path headFile = Path.of(opts.getOrDefault("head", "src/main/resources/" + LogisticHead.RESOURCE));
        Path reportFile = Path.of(opts.getOrDefault("report", "docs/classifier-embedding-head.md"));
        int maxChars = Integer.parseInt(opts.getOrDefault("max-chars", "512"));

        if (opts.containsKey("generate")) {
            List<LabelledExample> rows = new RefusalDatasetGenerator(seed).generate();
            Files.createDirectories(datasetFile.toAbsolutePath().getParent());
            Files.writeString(datasetFile, RefusalDataset.toJsonl(rows));
            System.out.printf("generated %d rows into %s%n", rows.size(), datasetFile);
        }
        String text = Files.readString(datasetFile);
        String hash = RefusalDataset.hash(text);
        List<LabelledExample> rows = RefusalDataset.parse(text);
        List<LabelledExample> train = rows.stream().filter(r -> !r.isTest()).toList();
        List<LabelledExample> test = rows.stream().filter(LabelledExample::isTest).toList();
        System.out.printf("dataset %s: %d rows (%d train, %d test), sha256 %s%n", datasetFile, rows.size(), train.size(), test.size(), hash);

        long loadStart = System.nanoTime();
        EmbeddingModel model = EmbeddingRefusalClassifier.newEncoder();
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        System.out.printf("encoder loaded in %d ms%n", loadMillis);

        Map<EmbeddingInput, Features> features = new EnumMap<>(EmbeddingInput.class);
        for (EmbeddingInput input : EmbeddingInput.values()) {
            features.put(input, embed(model, rows, input, maxChars));
        }

        // Validation fifth of train, fixed by the seed.
        List<Integer> trainIdx = indices(rows, false);
        List<Integer> shuffled = new ArrayList<>(trainIdx);
        Collections.shuffle(shuffled, new Random(seed));
        int valSize = shuffled.size() / 5;
        List<Integer> val = shuffled.subList(0, valSize);
        List<Integer> fit = shuffled.subList(valSize, shuffled.size());

        List<Candidate> candidates = new ArrayList<>();
        for (EmbeddingInput input : EmbeddingInput.values()) {
            for (double l2 : L2_GRID) {
                float[][] x = features.get(input).x();
                LogisticRegressionTrainer.Fit f = new LogisticRegressionTrainer(l2, ITERATIONS, 1e-6).fit(select(x, fit), labels(rows, fit));
                double threshold = pickThreshold(f, select(x, fit), labels(rows, fit));
                BinaryMetrics m = evaluate(f.weights(), f.bias(), threshold, x, rows, val);
                candidates.add(new Candidate(input, l2, m.accuracy()));
                System.out.printf("  validation %-16s l2=%-6s accuracy %.4f%n", input.id(), l2, m.accuracy());
            }
        }
        // Best validation accuracy; ties go to the response-only input and the stronger L2 (simpler).
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            boolean better = c.validationAccuracy() > best.validationAccuracy() + 1e-12
                    || (Math.abs(c.validationAccuracy() - best.validationAccuracy()) <= 1e-12
                    && c.input() == best.input() && c.l2() > best.l2());
            if (better) {
                best = c;
            }
        }
        System.out.printf("chosen: input=%s l2=%s%n", best.input().id(), best.l2());

        // Refit the best L2 of each input on all of train, score on test (both reported; one shipped).
        Map<EmbeddingInput, Scored> scored = new EnumMap<>(EmbeddingInput.class);
        for (EmbeddingInput input : EmbeddingInput.values()) {
            double l2 = input == best.input() ? best.l2() : bestL2(candidates, input);
            scored.put(input, refit(input, l2, features.get(input), rows, trainIdx, indices(rows, true), maxChars, hash));
        }
        Scored chosen = scored.get(best.input());

        LexicalRefusalClassifier lexical = new LexicalRefusalClassifier();
        List<Verdict> lexicalVerdicts = rows.stream().map(r -> lexical.classify(r.prompt(), r.response())).toList();

        chosen.head().write(headFile);
        System.out.printf("head written to %s (held-out accuracy %.4f)%n", headFile, chosen.test().accuracy());
        String report = new TrainingReport(rows, hash, seed, maxChars, loadMillis, features, candidates, scored,
                best.input(), lexicalVerdicts).render();
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Files.writeString(reportFile, report);
        System.out.printf("report written to %s%n", reportFile);
        return 0;
    }

    private static Scored refit(EmbeddingInput input, double l2, Features features, List<LabelledExample> rows,
                                List<Integer> trainIdx, List<Integer> testIdx, int maxChars, String hash) {
        long start = System.nanoTime();
        float[][] x = features.x();
        LogisticRegressionTrainer.Fit f = new LogisticRegressionTrainer(l2, ITERATIONS, 1e-6).fit(select(x, trainIdx), labels(rows, trainIdx));
        double threshold = pickThreshold(f, select(x, trainIdx), labels(rows, trainIdx));
        long trainMillis = (System.nanoTime() - start) / 1_000_000;
        BinaryMetrics trainM = evaluate(f.weights(), f.bias(), threshold, x, rows, trainIdx);
        BinaryMetrics testM = evaluate(f.weights(), f.bias(), threshold, x, rows, testIdx);
        Map<String, BinaryMetrics> byKind = new TreeMap<>();
        for (int i : testIdx) {
            boolean predicted = sigmoidScore(f.weights(), f.bias(), x[i]) >= threshold;
            byKind.merge(rows.get(i).kind(), BinaryMetrics.empty().add(predicted, rows.get(i).refused()), TrainRefusalHead::sum);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_accuracy", trainM.accuracy());
        metrics.put("test_accuracy", testM.accuracy());
        metrics.put("test_precision", testM.precision());
        metrics.put("test_recall", testM.recall());
        metrics.put("test_f1", testM.f1());
        metrics.put("test_majority_rate", testM.majorityRate());
        metrics.put("test_rows", (double) testM.total());
        LogisticHead head = new LogisticHead(EmbeddingRefusalClassifier.MODEL_ID, input.id(), maxChars, f.weights(),
                f.bias(), threshold, l2, hash, metrics);
        System.out.printf("  refit %-16s l2=%-6s train acc %.4f, held-out acc %.4f (%d iterations, %d ms)%n",
                input.id(), l2, trainM.accuracy(), testM.accuracy(), f.iterations(), trainMillis);
        return new Scored(input, l2, head, trainM, testM, byKind, trainMillis);
    }

    static BinaryMetrics sum(BinaryMetrics a, BinaryMetrics b) {
        return new BinaryMetrics(a.truePositives() + b.truePositives(), a.falsePositives() + b.falsePositives(),
                a.trueNegatives() + b.trueNegatives(), a.falseNegatives() + b.falseNegatives());
    }

    private static Features embed(EmbeddingModel model, List<LabelledExample> rows, EmbeddingInput input, int maxChars) {
        long start = System.nanoTime();
        float[][] x = new float[rows.size()][];
        int batch = 64;
        for (int from = 0; from < rows.size(); from += batch) {
            int to = Math.min(rows.size(), from + batch);
            List<TextSegment> segments = new ArrayList<>();
            for (int i = from; i < to; i++) {
                LabelledExample r = rows.get(i);
                segments.add(TextSegment.from(input.text(r.prompt(), r.response(), maxChars)));
            }
            var embeddings = model.embedAll(segments).content();
            for (int i = from; i < to; i++) {
                x[i] = embeddings.get(i - from).vector();
            }
            System.out.printf("\r  embedding %-16s %4d/%d", input.id(), to, rows.size());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("  done in %d ms (%.1f texts/s)%n", millis, rows.size() * 1000.0 / Math.max(1, millis));
        return new Features(input, x, millis);
    }

    /** The threshold in [0.05, 0.95] that maximises training accuracy; ties go to the one nearest 0.5. */
    static double pickThreshold(LogisticRegressionTrainer.Fit f, float[][] x, boolean[] y) {
        double bestThreshold = 0.5;
        int bestCorrect = -1;
        for (int step = 5; step <= 95; step++) {
            double t = step / 100.0;
            int correct = 0;
            for (int i = 0; i < x.length; i++) {
                if ((sigmoidScore(f.weights(), f.bias(), x[i]) >= t) == y[i]) {
                    correct++;
                }
            }
            if (correct > bestCorrect || (correct == bestCorrect && Math.abs(t - 0.5) < Math.abs(bestThreshold - 0.5))) {
                bestCorrect = correct;
                bestThreshold = t;
            }
        }
        return bestThreshold;
    }

    private static double sigmoidScore(double[] w, double b, float[] x) {
        double z = b;
        for (int j = 0; j < w.length; j++) {
            z += w[j] * x[j];
        }
        return LogisticHead.sigmoid(z);
    }

    private static BinaryMetrics evaluate(double[] w, double b, double threshold, float[][] x, List<LabelledExample> rows, List<Integer> idx) {
        BinaryMetrics m = BinaryMetrics.empty();
        for (int i : idx) {
            m = m.add(sigmoidScore(w, b, x[i]) >= threshold, rows.get(i).refused());
        }
        return m;
    }

    private static double bestL2(List<Candidate> candidates, EmbeddingInput input) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (c.input() == input && (best == null || c.validationAccuracy() > best.validationAccuracy() + 1e-12)) {
                best = c;
            }
        }
        return best.l2();
    }

    private static List<Integer> indices(List<LabelledExample> rows, boolean test) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).isTest() == test) {
                idx.add(i);
            }
        }
        return idx;
    }

    private static float[][] select(float[][] x, List<Integer> idx) {
        float[][] out = new float[idx.size()][];
        for (int k = 0; k < idx.size(); k++) {
            out[k] = x[idx.get(k)];
        }
        return out;
    }

    private static boolean[] labels(List<LabelledExample> rows, List<Integer> idx) {
        boolean[] y = new boolean[idx.size()];
        for (int k = 0; k < idx.size(); k++) {
            y[k] = rows.get(idx.get(k)).refused();
        }
        return y;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("generate")) {
                opts.put(key, "true");
            } else if (List.of("seed", "dataset", "head", "report", "max-chars").contains(key) && i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option " + a);
            }
        }
        return opts;
    }
}
