package io.steerguard.training.classifier;

import io.steerguard.classifier.training.BinaryMetrics;
import io.steerguard.classifier.ScreenModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes docs/classifier-cascade.md: the learned tier alone against the cascade, per evaluation set. */
final class CascadeReport {

    /** One set: the learned tier alone, the cascade, and how many answers the screen decided. */
    record Outcome(BinaryMetrics learned, BinaryMetrics cascade, int screened) {
    }

    static void write(Path file, long seed, ScreenModel screen, Map<String, Outcome> outcomes) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Refusal classifier: the cascade (generated)\n\n");
        md.append("Written by `steerguard train-screen` (seed ").append(seed)
                .append("); rerun it instead of editing. Method and cost: [bench/classifier-cascade.md](bench/classifier-cascade.md).\n\n");
        md.append(String.format(Locale.ROOT, "Screen: %d hash buckets per text, L2 %s, cut-offs on its logit: compliant at or below %.4f, "
                + "refusal at or above %.4f; chosen on the validation fifth of the training data only.%n%n",
                screen.buckets(), screen.l2(), screen.lower(), screen.upper()));
        Map<String, Double> v = screen.validation();
        md.append(String.format(Locale.ROOT, "On the validation fifth (%d answers) the screen called %d compliant (%d wrong; the learned "
                + "tier got %d of the same wrong) and %d refusals (%d wrong; learned %d).%n%n",
                v.get("answers").intValue(), v.get("compliantDecided").intValue(), v.get("compliantScreenErrors").intValue(),
                v.get("compliantLearnedErrors").intValue(), v.get("refusalDecided").intValue(), v.get("refusalScreenErrors").intValue(),
                v.get("refusalLearnedErrors").intValue()));
        md.append("| evaluated on | n | decided by the screen | learned alone: accuracy | compliant called refusal | refusal missed "
                + "| cascade: accuracy | compliant called refusal | refusal missed | cascade errors minus learned errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            Outcome o = e.getValue();
            int n = o.learned().total();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d (%s) | %s | %s | %s | %s | %s | %s | %+d |%n",
                    e.getKey(), n, o.screened(), pct(o.screened(), n),
                    pct(o.learned().accuracy()), pct(o.learned().falseRefusalRate()), pct(o.learned().missedRefusalRate()),
                    pct(o.cascade().accuracy()), pct(o.cascade().falseRefusalRate()), pct(o.cascade().missedRefusalRate()),
                    o.cascade().errors() - o.learned().errors()));
        }
        md.append("\nThe test sets (GPTFuzz test, JailbreakBench artifacts, team-written test rows) were scored only after the "
                + "screen and its cut-offs were fixed; XSTest and the JailbreakBench judge-comparison set were not used at all.\n");
        Files.writeString(file, md.toString());
    }

    private static String pct(int k, int n) {
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * k / n);
    }

    private static String pct(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * rate);
    }
}
