package io.steerguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.EnsembleRefusalClassifier;
import io.steerguard.classifier.EnsembleRule;
import io.steerguard.classifier.JudgeRefusalClassifier;
import io.steerguard.classifier.training.LabelledInput;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Classifies a file of (prompt, response[, label]) rows and writes one verdict per line as JSONL.
 *
 * <p>The judge's API key is read from the environment variable {@code STEERGUARD_JUDGE_API_KEY}.
 * Tier {@code judge} falls back to embedding; tier {@code ensemble} combines lexical and embedding
 * (and the judge first, when configured). When every row has a label, accuracy, precision,
 * recall and F1 go to standard error, and {@code --min-accuracy} turns them into a check.
 */
@Command(name = "classify", description = "Classify (prompt, response[, label]) rows as refusals; one JSON verdict "
        + "per line.")
public final class ClassifyCommand extends ToolCommand {

    private static final int BATCH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--in", required = true, paramLabel = "FILE|-", description = "Rows to classify; - reads standard input.")
    String in;
    @Option(names = "--format", paramLabel = "jsonl|csv", description = "Input format (default: csv for *.csv, else jsonl).")
    String format;
    @Option(names = "--out", paramLabel = "FILE", description = "Write the verdicts here (default: standard output).")
    Path outFile;
    @Option(names = "--tier", defaultValue = "learned", paramLabel = "learned|lexical|embedding|judge|ensemble",
            description = "Classifier tier (default: ${DEFAULT-VALUE}).")
    String tier;
    @Option(names = "--rule", defaultValue = "weighted-mean", paramLabel = "first-available|majority|weighted-mean",
            description = "Ensemble rule (default: ${DEFAULT-VALUE}).")
    String rule;
    @Option(names = "--weights", paramLabel = "0.3,0.7", description = "Ensemble weights: judge (when set), embedding, lexical.")
    String weights;
    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T", description = "Ensemble threshold (default: ${DEFAULT-VALUE}).")
    double threshold;
    @Option(names = "--judge-url", paramLabel = "URL", description = "OpenAI-compatible judge endpoint.")
    String judgeUrl;
    @Option(names = "--judge-model", paramLabel = "NAME", description = "Judge model name.")
    String judgeModel;
    @Option(names = "--judge-timeout-ms", defaultValue = "5000", paramLabel = "MS", description = "Judge timeout (default: ${DEFAULT-VALUE}).")
    long judgeTimeoutMs;
    @Option(names = "--min-accuracy", paramLabel = "A", description = "Exit 1 when labelled accuracy is below A.")
    Double minAccuracy;

    /** Which classifier to build, from the tier and its options. */
    record Choice(String tier, String rule, String weights, double threshold, String judgeUrl, String judgeModel,
                  long judgeTimeoutMs) {

        /** A tier with the default ensemble rule and no judge. */
        static Choice of(String tier) {
            return new Choice(tier, "weighted-mean", null, 0.5, null, null, 5000);
        }

        RefusalClassifier build() {
            return switch (tier) {
                case "learned" -> io.steerguard.classifier.LearnedRefusalClassifier.loadDefault();
                case "lexical" -> new LexicalRefusalClassifier();
                case "embedding" -> EmbeddingRefusalClassifier.loadDefault();
                case "judge" -> judge(EmbeddingRefusalClassifier.loadDefault());
                case "ensemble" -> ensemble();
                default -> throw new IllegalArgumentException("--tier must be learned, lexical, embedding, judge or "
                        + "ensemble, was " + tier);
            };
        }

        private RefusalClassifier ensemble() {
            List<RefusalClassifier> members = new ArrayList<>();
            EmbeddingRefusalClassifier embedding = EmbeddingRefusalClassifier.loadDefault();
            if (judgeUrl != null) {
                members.add(judge(embedding));
            }
            members.add(embedding);
            members.add(new LexicalRefusalClassifier());
            EnsembleRule ensembleRule = switch (EnsembleRule.Kind.fromId(rule)) {
                case FIRST_AVAILABLE -> EnsembleRule.firstAvailable();
                case MAJORITY -> EnsembleRule.majority();
                case WEIGHTED_MEAN -> EnsembleRule.weightedMean(weights(members.size()), threshold);
            };
            return new EnsembleRefusalClassifier(members, ensembleRule);
        }

        private List<Double> weights(int members) {
            if (weights == null) {
                return java.util.Collections.nCopies(members, 1.0);
            }
            List<Double> w;
            try {
                w = Arrays.stream(weights.split(",")).map(String::strip).map(Double::parseDouble).toList();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--weights must be comma-separated numbers, was " + weights);
            }
            if (w.size() != members) {
                throw new IllegalArgumentException("--weights needs " + members + " values (judge?, embedding, lexical), "
                        + "was " + weights);
            }
            return w;
        }

        private JudgeRefusalClassifier judge(RefusalClassifier fallback) {
            if (judgeUrl == null || judgeModel == null) {
                throw new IllegalArgumentException("the judge needs --judge-url and --judge-model");
            }
            return new JudgeRefusalClassifier(new JudgeRefusalClassifier.Config(judgeUrl, judgeModel,
                    System.getenv("STEERGUARD_JUDGE_API_KEY"), Duration.ofMillis(judgeTimeoutMs)), fallback);
        }
    }

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        List<LabelledInput> rows;
        try {
            String text = in.equals("-") ? new String(in().readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(in));
            String chosen = format != null ? format : in.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "jsonl";
            rows = switch (chosen) {
                case "csv" -> LabelledInput.parseCsv(text);
                case "jsonl" -> LabelledInput.parseJsonl(text);
                default -> throw usage("--format must be jsonl or csv, was " + chosen);
            };
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        } catch (IOException e) {
            err.println("error: cannot read input: " + e.getMessage());
            return Exit.FAILURE;
        }
        Choice choice = new Choice(tier, rule, weights, threshold, judgeUrl, judgeModel, judgeTimeoutMs);
        try (PrintStream sink = outFile != null ? new PrintStream(Files.newOutputStream(outFile), true, StandardCharsets.UTF_8) : null) {
            PrintStream target = sink != null ? sink : out;
            RefusalClassifier classifier;
            try {
                classifier = choice.build();
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            BinaryMetrics metrics = BinaryMetrics.empty();
            boolean allLabelled = !rows.isEmpty();
            for (int from = 0; from < rows.size(); from += BATCH) {
                List<LabelledInput> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
                List<Verdict> verdicts = classifier.classifyAll(batch.stream().map(LabelledInput::exchange).toList());
                for (int k = 0; k < batch.size(); k++) {
                    LabelledInput row = batch.get(k);
                    Verdict v = verdicts.get(k);
                    ObjectNode node = MAPPER.createObjectNode();
                    node.put("index", from + k);
                    node.put("refused", v.refused());
                    node.put("score", Math.round(v.score() * 1e4) / 1e4);
                    node.put("method", v.method());
                    row.label().ifPresent(l -> node.put("label", l));
                    target.println(node);
                    if (row.label().isPresent()) {
                        metrics = metrics.add(v.refused(), row.label().get());
                    } else {
                        allLabelled = false;
                    }
                }
            }
            if (classifier instanceof AutoCloseable closeable) {
                closeable.close();
            }
            if (allLabelled) {
                err.printf(Locale.ROOT, "rows %d  accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f  (tp %d fp %d tn %d fn %d)%n",
                        metrics.total(), metrics.accuracy(), metrics.precision(), metrics.recall(), metrics.f1(),
                        metrics.truePositives(), metrics.falsePositives(), metrics.trueNegatives(), metrics.falseNegatives());
                if (minAccuracy != null && metrics.accuracy() < minAccuracy) {
                    err.println("accuracy below --min-accuracy " + minAccuracy);
                    return Exit.CHECK_FAILED;
                }
            }
            return Exit.OK;
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            err.println("error: classification failed: " + e);
            return Exit.FAILURE;
        }
    }
}
