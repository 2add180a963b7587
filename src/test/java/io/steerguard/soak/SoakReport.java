package io.steerguard.soak;

import java.util.List;
import java.util.Map;

import io.steerguard.bench.LatencyHistogram;

/** The run's results as Markdown, for {@code docs/reliability.md}. */
final class SoakReport {

    private SoakReport() {
    }

    static String render(Map<String, String> args, long scheduled, LatencyHistogram latency, SoakLedger ledger,
                         List<long[]> samples, List<Long> lorisMillis, List<String> timeline, long upstreamRequests,
                         long upstreamRejected) {
        StringBuilder md = new StringBuilder();
        md.append("### Soak run: ").append(args.getOrDefault("minutes", "5")).append(" min at ")
                .append(args.getOrDefault("rate", "40")).append(" well-behaved req/s\n\n");
        md.append("Well-behaved requests scheduled: ").append(scheduled).append("; upstream requests: ")
                .append(upstreamRequests).append(" (").append(upstreamRejected).append(" rejected as EasySteer would)\n\n");
        md.append("Well-behaved 200s that overlapped an injected upstream fault (latency not counted): ")
                .append(ledger.duringFaults()).append("\n\n");
        md.append(String.format("Well-behaved 200s outside faults: %d, latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n%n",
                latency.count(), latency.percentile(50) / 1e6, latency.percentile(99) / 1e6, latency.percentile(99.9) / 1e6,
                latency.max() / 1e6));
        md.append("| source | outcome | count |\n|---|---|---:|\n");
        ledger.outcomes().forEach((source, outcomes) -> outcomes.forEach((outcome, n) ->
                md.append("| ").append(source).append(" | ").append(outcome).append(" | ").append(n).append(" |\n")));
        md.append("\n5xx explained by injected upstream faults: ").append(ledger.faultAttributed5xx()).append("\n\n");
        md.append("Slowloris connections, ms until the gateway closed them (-1: still open at the end): ")
                .append(lorisMillis).append("\n\n");
        md.append("| elapsed s | heap after full GC (KiB) | open fds |\n|---:|---:|---:|\n");
        for (long[] s : samples) {
            md.append("| ").append(s[0]).append(" | ").append(s[1] / 1024).append(" | ").append(s[2]).append(" |\n");
        }
        md.append("\nTimeline:\n\n```\n");
        timeline.forEach(l -> md.append(l).append('\n'));
        md.append("```\n\n");
        List<String> violations = ledger.violations();
        md.append(violations.isEmpty() ? "**No promise broken.**\n"
                : "**Broken promises: " + ledger.violationCount() + "**\n\n");
        violations.forEach(v -> md.append("- ").append(v).append('\n'));
        return md.toString();
    }
}
