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
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies a file of (prompt, response[, label]) rows and writes one verdict per line as JSONL.
 *
 * <pre>
 * java io.steerguard.cli.ClassifyCommand --in FILE|- [--format jsonl|csv] [--out FILE]
 *      [--tier learned|lexical|embedding|judge|ensemble] [--rule first-available|majority|weighted-mean]
 *      [--weights 0.3,0.7] [--threshold 0.5] [--judge-url URL --judge-model NAME]
 *      [--judge-timeout-ms 5000] [--min-accuracy 0.9]
 * </pre>
 * The judge's API key is read from the environment variable {@code STEERGUARD_JUDGE_API_KEY}.
 * Tier {@code judge} falls back to embedding; tier {@code ensemble} combines lexical and embedding
 * (and the judge first, when configured). When every row has a label, accuracy, precision,
 * recall and F1 go to standard error.
 *
 * <p>Exit codes: 0 verdicts written; 1 I/O or classifier failure; 2 bad arguments or malformed
 * input; 3 labelled accuracy below {@code --min-accuracy}.
 */
public final class ClassifyCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int BELOW_MIN_ACCURACY = 3;
    private static final int BATCH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Map<String, String> opts;
        List<LabelledInput> rows;
        try {
            opts = parse(args);
            String in = opts.get("in");
            if (in == null) {
                throw new IllegalArgumentException("--in FILE (or - for standard input) is required");
            }
            String text = in.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(in));
            String format = opts.getOrDefault("format", in.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "jsonl");
            rows = switch (format) {
                case "csv" -> LabelledInput.parseCsv(text);
                case "jsonl" -> LabelledInput.parseJsonl(text);
                default -> throw new IllegalArgumentException("--format must be jsonl or csv, was " + format);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("error: cannot read input: " + e.getMessage());
            return FAILURE;
        }
        try (PrintStream sink = opts.containsKey("out") ? new PrintStream(Files.newOutputStream(Path.of(opts.get("out"))), true, StandardCharsets.UTF_8) : null) {
            PrintStream target = sink != null ? sink : out;
            RefusalClassifier classifier = build(opts);
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
                if (opts.containsKey("min-accuracy") && metrics.accuracy() < Double.parseDouble(opts.get("min-accuracy"))) {
                    err.println("accuracy below --min-accuracy " + opts.get("min-accuracy"));
                    return BELOW_MIN_ACCURACY;
                }
            }
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (Exception e) {
            err.println("error: classification failed: " + e);
            return FAILURE;
        }
    }

    static RefusalClassifier build(Map<String, String> opts) {
        String tier = opts.getOrDefault("tier", "learned");
        return switch (tier) {
            case "learned" -> io.steerguard.classifier.LearnedRefusalClassifier.loadDefault();
            case "lexical" -> new LexicalRefusalClassifier();
            case "embedding" -> EmbeddingRefusalClassifier.loadDefault();
            case "judge" -> judge(opts, EmbeddingRefusalClassifier.loadDefault());
            case "ensemble" -> ensemble(opts);
            default -> throw new IllegalArgumentException("--tier must be learned, lexical, embedding, judge or ensemble, was " + tier);
        };
    }

    private static RefusalClassifier ensemble(Map<String, String> opts) {
        List<RefusalClassifier> members = new ArrayList<>();
        EmbeddingRefusalClassifier embedding = EmbeddingRefusalClassifier.loadDefault();
        if (opts.containsKey("judge-url")) {
            members.add(judge(opts, embedding));
        }
        members.add(embedding);
        members.add(new LexicalRefusalClassifier());
        String ruleId = opts.getOrDefault("rule", "weighted-mean");
        double threshold = Double.parseDouble(opts.getOrDefault("threshold", "0.5"));
        EnsembleRule rule = switch (EnsembleRule.Kind.fromId(ruleId)) {
            case FIRST_AVAILABLE -> EnsembleRule.firstAvailable();
            case MAJORITY -> EnsembleRule.majority();
            case WEIGHTED_MEAN -> EnsembleRule.weightedMean(weights(opts.get("weights"), members.size()), threshold);
        };
        return new EnsembleRefusalClassifier(members, rule);
    }

    private static List<Double> weights(String spec, int members) {
        if (spec == null) {
            return java.util.Collections.nCopies(members, 1.0);
        }
        List<Double> w = Arrays.stream(spec.split(",")).map(String::strip).map(Double::parseDouble).toList();
        if (w.size() != members) {
            throw new IllegalArgumentException("--weights needs " + members + " values (judge?, embedding, lexical), was " + spec);
        }
        return w;
    }

    private static JudgeRefusalClassifier judge(Map<String, String> opts, RefusalClassifier fallback) {
        String url = opts.get("judge-url");
        String model = opts.get("judge-model");
        if (url == null || model == null) {
            throw new IllegalArgumentException("the judge needs --judge-url and --judge-model");
        }
        Duration timeout = Duration.ofMillis(Long.parseLong(opts.getOrDefault("judge-timeout-ms", "5000")));
        return new JudgeRefusalClassifier(new JudgeRefusalClassifier.Config(url, model,
                System.getenv("STEERGUARD_JUDGE_API_KEY"), timeout), fallback);
    }

    private static final List<String> KEYS = List.of("in", "format", "out", "tier", "rule", "weights", "threshold",
            "judge-url", "judge-model", "judge-timeout-ms", "min-accuracy");

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !KEYS.contains(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]);
            }
            opts.put(key, args[++i]);
        }
        return opts;
    }
}
