package io.steerguard.classifier;

import io.steerguard.classifier.training.SourcedExample;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Classifier CPU per mirrored pair: the learned tier alone against the cascade (screen, then the
 * learned tier when unsure), on the answers a pair really carries. Not a test; a rerunnable main:
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.steerguard.classifier.CascadeBench [pairs] [rounds]
 * </pre>
 *
 * Each pair is classified the way the shadow does it ({@code assessAll} of the steered answer and its
 * twin), one pair after another; "batched" hands eight pairs to one {@code assessAll}. CPU is the sum of
 * {@link ThreadMXBean#getThreadCpuTime} over every live thread of the JVM (the encoder spreads a batch
 * over worker threads, so the caller's own CPU time would miss most of it) taken before and after; the
 * process CPU time is printed beside it. The two classifiers run in alternating rounds and the median
 * round is reported, so a burst of load on a shared machine hits both alike. Writes
 * {@code target/cascade-bench.md}; the committed copy of a run is docs/bench/classifier-cascade.md.
 */
public final class CascadeBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The shadow benchmark's fake upstream answers every request, primary and twin, with this text. */
    static final String SHADOW_BENCH_ANSWER = "Sure, here is a short answer. Check the settings and restart the service.";

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<Exchange> answers = SourcedExample.readGzipJsonl(Path.of("datasets/refusal/gptfuzz-test.jsonl.gz")).stream()
                .filter(e -> LanguageGate.supported(e.response())).limit(2L * pairs).map(SourcedExample::exchange).toList();
        List<List<Exchange>> realPairs = new ArrayList<>();
        for (int i = 0; i + 1 < answers.size(); i += 2) {
            realPairs.add(List.of(answers.get(i), answers.get(i + 1)));
        }
        List<List<Exchange>> shadowPairs = new ArrayList<>();
        Exchange bench = new Exchange("How do I get the service running again after the update?", SHADOW_BENCH_ANSWER);
        for (int i = 0; i < pairs; i++) {
            shadowPairs.add(List.of(bench, bench));
        }
        MiniLmEncoder encoder = MiniLmEncoder.create(1, Runtime.getRuntime().availableProcessors());
        LearnedHead head = LearnedHead.loadResource();
        LearnedRefusalClassifier alone = new LearnedRefusalClassifier(encoder, head);
        LearnedRefusalClassifier cascade = new LearnedRefusalClassifier(encoder, head, LearnedCalibration.of(head),
                ScreenModel.loadResource());
        run(alone, realPairs.subList(0, Math.min(20, realPairs.size())), 1); // warm-up: JIT, encoder sessions
        run(cascade, realPairs.subList(0, Math.min(20, realPairs.size())), 1);

        StringBuilder md = new StringBuilder("# Classifier CPU per mirrored pair: learned tier alone and cascade\n\n");
        md.append(String.format(Locale.ROOT, "`io.steerguard.classifier.CascadeBench %d %d`, %s, %d cores, Java %s. Load average before: %s.%n%n",
                pairs, rounds, Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadBefore));
        md.append("| answers | classifier | pairs per call | CPU ms per pair (all threads, median round) | rounds' range | process CPU ms per pair | screened |\n");
        md.append("|---|---|---:|---:|---|---:|---:|\n");
        int meanChars = (int) answers.stream().mapToInt(e -> e.response().length()).average().orElse(0);
        String real = "GPTFuzz test, " + realPairs.size() + " pairs (mean " + meanChars + " chars)";
        String shadow = "shadow-bench answer (" + SHADOW_BENCH_ANSWER.length() + " chars), " + shadowPairs.size() + " pairs";
        for (int batch : new int[] {1, 8}) {
            row(md, real, realPairs, alone, cascade, batch, rounds);
            row(md, shadow, shadowPairs, alone, cascade, batch, rounds);
        }
        md.append("\nLoad average after: ").append(Files.readString(Path.of("/proc/loadavg")).strip())
                .append(". CPU time is charged to this JVM whatever else runs, so it is the figure to compare; on a shared "
                        + "machine it still varies with cache and frequency effects (see the rounds' range).\n");
        System.out.print(md);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/cascade-bench.md"), md.toString());
    }

    private static void row(StringBuilder md, String what, List<List<Exchange>> pairs, LearnedRefusalClassifier alone,
                            LearnedRefusalClassifier cascade, int batch, int rounds) {
        double[][] cpu = new double[2][rounds];
        double[][] process = new double[2][rounds];
        long screened0 = cascade.screened();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                LearnedRefusalClassifier c = k == 0 ? alone : cascade;
                long p0 = processCpu();
                long t0 = allThreadsCpu();
                run(c, pairs, batch);
                cpu[k][r] = (allThreadsCpu() - t0) / 1e6 / pairs.size();
                process[k][r] = (processCpu() - p0) / 1e6 / pairs.size();
            }
        }
        long screened = cascade.screened() - screened0;
        for (int k = 0; k < 2; k++) {
            double[] sorted = cpu[k].clone();
            Arrays.sort(sorted);
            double[] proc = process[k].clone();
            Arrays.sort(proc);
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f–%.2f | %.2f | %s |%n", what,
                    k == 0 ? "learned alone" : "cascade", batch, sorted[rounds / 2], sorted[0], sorted[rounds - 1],
                    proc[rounds / 2], k == 0 ? "—" : String.format(Locale.ROOT, "%.1f%% of answers",
                            100.0 * screened / (2.0 * pairs.size() * rounds))));
        }
    }

    private static void run(LearnedRefusalClassifier c, List<List<Exchange>> pairs, int batch) {
        for (int from = 0; from < pairs.size(); from += batch) {
            List<Exchange> call = new ArrayList<>(2 * batch);
            for (List<Exchange> pair : pairs.subList(from, Math.min(pairs.size(), from + batch))) {
                call.addAll(pair);
            }
            c.assessAll(call);
        }
    }

    private static long allThreadsCpu() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
