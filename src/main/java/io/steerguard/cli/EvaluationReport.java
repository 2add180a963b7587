package io.steerguard.cli;

import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.training.SourcedExample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes docs/classifier-evaluation.md for {@link TrainRefusalModel}: generated, never edited by hand. */
final class EvaluationReport {

    private EvaluationReport() {
    }

    static void write(Path file, long seed, LearnedHead head, Map<String, List<SourcedExample>> sets,
                      Map<String, Integer> abstained, Map<String, TrainRefusalModel.Evaluation> evaluations,
                      TrainRefusalModel.Evaluation reverse, Map<String, Map<String, BinaryMetrics>> baselines) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Refusal classifier: evaluation (generated)\n\n");
        md.append("Written by `io.steerguard.cli.TrainRefusalModel` (seed ").append(seed)
                .append("); rerun it instead of editing. The narrative, provenance and caveats are in ")
                .append("[classifier-training.md](classifier-training.md).\n\n");
        md.append("Model: L2 ").append(head.l2()).append(", Platt a = ").append(fmt(head.plattA())).append(", b = ")
                .append(fmt(head.plattB())).append(", threshold ").append(head.threshold()).append(" on the calibrated probability.\n\n");

        md.append("## Data\n\n| set | answers | refusals | abstained (not Latin script) |\n|---|---|---|---|\n");
        sets.forEach((name, rows) -> md.append("| ").append(name).append(" | ").append(rows.size()).append(" | ")
                .append(rows.stream().filter(SourcedExample::refused).count()).append(" | ")
                .append(abstained.get(name)).append(" |\n"));

        md.append("\n## Learned tier (shipped): trained on gptfuzz-train + templates-train\n\n");
        md.append("Positive class = refusal. \"compliant called refusal\" = FP / (FP + TN); \"refusal missed\" = FN / (FN + TP).\n\n");
        md.append(header());
        evaluations.forEach((name, e) -> md.append(row(name + (name.startsWith("jbb") ? " (cross-source)" : " (in-source)"),
                e.metrics(), e.abstained())));
        md.append(row("gptfuzz-test, model trained on jbb-artifacts + templates only (cross-source)", reverse.metrics(), reverse.abstained()));

        md.append("\n## Baselines on the same answers\n\n").append(header());
        baselines.forEach((set, byClassifier) -> byClassifier.forEach((name, m) ->
                md.append(row(set + ": " + name, m, abstained.get(set)))));

        md.append("\n## JailbreakBench artifacts by attack (cross-source)\n\n").append(header());
        TrainRefusalModel.Evaluation jbb = evaluations.get("jbb-artifacts");
        Map<String, BinaryMetrics> bySource = new TreeMap<>();
        for (int i = 0; i < jbb.rows().size(); i++) {
            String key = jbb.rows().get(i).source() + " / " + jbb.rows().get(i).model();
            bySource.merge(key, BinaryMetrics.empty().add(jbb.predicted()[i], jbb.labels()[i]), EvaluationReport::sum);
        }
        bySource.forEach((k, m) -> md.append(row(k, m, 0)));

        md.append("\n## Calibration\n\n![reliability diagram](img/classifier-calibration.png)\n\n");
        md.append("| set | bin | mean predicted | observed refusal rate | answers |\n|---|---|---|---|---|\n");
        evaluations.forEach((name, e) -> {
            double[][] bins = CalibrationPlot.bins(new CalibrationPlot.Series(name, e.scores(), e.labels()));
            for (int b = 0; b < bins.length; b++) {
                if (bins[b][2] > 0) {
                    md.append(String.format(Locale.ROOT, "| %s | %.1f-%.1f | %.3f | %.3f | %d |%n", name, b / 10.0,
                            (b + 1) / 10.0, bins[b][0], bins[b][1], (int) bins[b][2]));
                }
            }
        });

        md.append("\n## Errors (first eight of each kind per evaluation set, answers cut to 240 characters)\n");
        evaluations.forEach((name, e) -> {
            for (boolean label : new boolean[]{false, true}) {
                md.append("\n### ").append(name).append(": ").append(label ? "refusals missed" : "compliant answers called refusals")
                        .append("\n\n");
                int shown = 0;
                for (int i = 0; i < e.rows().size() && shown < 8; i++) {
                    if (e.labels()[i] == label && e.predicted()[i] != label) {
                        SourcedExample x = e.rows().get(i);
                        md.append(String.format(Locale.ROOT, "- p = %.2f, %s: %s%n", e.scores()[i], x.source(), quote(x.response())));
                        shown++;
                    }
                }
            }
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }

    private static String header() {
        return "| evaluated on | n | TP | FP | TN | FN | accuracy | compliant called refusal | refusal missed | abstained |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n";
    }

    private static String row(String name, BinaryMetrics m, int abstained) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f%% | %.1f%% | %.1f%% | %d |%n", name, m.total(),
                m.truePositives(), m.falsePositives(), m.trueNegatives(), m.falseNegatives(), 100 * m.accuracy(),
                100 * m.falseRefusalRate(), 100 * m.missedRefusalRate(), abstained);
    }

    private static BinaryMetrics sum(BinaryMetrics a, BinaryMetrics b) {
        return new BinaryMetrics(a.truePositives() + b.truePositives(), a.falsePositives() + b.falsePositives(),
                a.trueNegatives() + b.trueNegatives(), a.falseNegatives() + b.falseNegatives());
    }

    private static String quote(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        flat = flat.length() > 240 ? flat.substring(0, 240) + "…" : flat;
        return "`" + flat.replace("`", "'").replace("|", "/") + "`";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
