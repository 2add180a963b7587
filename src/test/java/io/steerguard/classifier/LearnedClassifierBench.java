package io.steerguard.classifier;

import io.steerguard.classifier.training.SourcedExample;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Throughput and latency of the shipped learned tier on answers of real chat models (the GPTFuzz
 * test split, answers cut to 1,500 characters; the tier embeds the opening and up to 1,000
 * characters of the whole answer). Writes {@code docs/bench/learned-classifier.md}. Not a test:
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.steerguard.classifier.LearnedClassifierBench [answers]
 * </pre>
 */
public final class LearnedClassifierBench {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<Exchange> exchanges = SourcedExample.readGzipJsonl(Path.of("datasets/refusal/gptfuzz-test.jsonl.gz")).stream()
                .filter(e -> LanguageGate.supported(e.response())).limit(count).map(SourcedExample::exchange).toList();
        int meanChars = (int) exchanges.stream().mapToInt(e -> e.response().length()).average().orElse(0);
        LearnedRefusalClassifier c = new LearnedRefusalClassifier(MiniLmEncoder.create(1, 2), LearnedHead.loadResource());
        c.classifyAll(exchanges.subList(0, 64));

        // single verdicts, one caller: latency percentiles
        double[] ms = new double[exchanges.size()];
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < exchanges.size(); i++) {
            long s = System.nanoTime();
            c.classify(exchanges.get(i).prompt(), exchanges.get(i).response());
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        double singleWall = (System.nanoTime() - t0) / 1e9;
        double singleCpuMs = (cpu() - cpu0) / 1e6 / exchanges.size();
        Arrays.sort(ms);

        StringBuilder md = new StringBuilder("# Learned classifier tier: throughput and latency\n\n");
        md.append(String.format(Locale.ROOT, "Measured by `io.steerguard.classifier.LearnedClassifierBench` on %s: %d cores, Java %s. "
                        + "Input: %d GPTFuzz test answers (mean %d characters). Load average before: %s.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), exchanges.size(),
                meanChars, loadBefore));
        md.append("| path | verdicts/s | p50 ms | p99 ms | CPU ms/verdict |\n|---|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| single verdict, one caller | %.1f | %.1f | %.1f | %.2f |%n",
                exchanges.size() / singleWall, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1], singleCpuMs));
        for (int batch : new int[] {2, 16, 64}) {
            long c0 = cpu();
            long s = System.nanoTime();
            for (int from = 0; from < exchanges.size(); from += batch) {
                c.classifyAll(exchanges.subList(from, Math.min(exchanges.size(), from + batch)));
            }
            double wall = (System.nanoTime() - s) / 1e9;
            double cpuMs = (cpu() - c0) / 1e6 / exchanges.size();
            md.append(String.format(Locale.ROOT, "| classifyAll batch %d%s | %.1f | | | %.2f |%n", batch,
                    batch == 2 ? " (one mirrored pair)" : "", exchanges.size() / wall, cpuMs));
        }
        md.append("\nLoad average after: ").append(Files.readString(Path.of("/proc/loadavg")).strip())
                .append(". The machine is shared; with a load above the core count the rates are lower bounds. "
                        + "A mirrored pair costs two verdicts: twice the CPU ms/verdict of the batch-2 row.\n");
        System.out.print(md);
        Path out = Path.of("docs/bench/learned-classifier.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
