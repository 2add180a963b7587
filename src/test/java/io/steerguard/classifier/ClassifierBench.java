package io.steerguard.classifier;

import io.steerguard.classifier.training.LabelledExample;
import io.steerguard.classifier.training.RefusalDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput benchmark of the classifier tiers on the committed dataset's responses (mixed
 * lengths, 1090 rows). Writes {@code docs/bench/classifier.md}. Not a test; run it alone:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.steerguard.classifier.ClassifierBench [rounds]
 * </pre>
 */
public final class ClassifierBench {

    private record Result(String name, int verdicts, double seconds, double cpuSeconds) {
        double perSecond() {
            return verdicts / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String loadBefore = loadAverage();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Exchange> exchanges = RefusalDataset.parse(RefusalDataset.readResourceText()).stream()
                .map(LabelledExample::exchange).toList();
        int chars = exchanges.stream().mapToInt(e -> Math.min(e.response().length(), 512)).sum();

        long loadStart = System.nanoTime();
        EmbeddingRefusalClassifier embedding = EmbeddingRefusalClassifier.loadDefault();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        LexicalRefusalClassifier lexical = new LexicalRefusalClassifier();

        // Warm-up: JIT, ONNX Runtime arenas, executor threads.
        embedding.classifyAll(exchanges.subList(0, 128));
        for (Exchange e : exchanges.subList(0, 64)) {
            embedding.classify(e.prompt(), e.response());
        }
        for (Exchange e : exchanges) {
            lexical.classify(e.prompt(), e.response());
        }

        List<Result> results = new ArrayList<>();
        results.add(best(rounds, "lexical, one at a time", exchanges.size() * 5, () -> {
            for (int r = 0; r < 5; r++) {
                for (Exchange e : exchanges) {
                    lexical.classify(e.prompt(), e.response());
                }
            }
        }));
        EmbeddingRefusalClassifier stock = new EmbeddingRefusalClassifier(
                new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel(), LogisticHead.loadResource());
        EmbeddingRefusalClassifier tuned = new EmbeddingRefusalClassifier(MiniLmEncoder.create(1, 2), LogisticHead.loadResource());
        for (var entry : java.util.Map.of("stock encoder (all intra-op threads)", stock,
                "tuned encoder (1 intra-op thread x 2 workers)", tuned).entrySet()) {
            EmbeddingRefusalClassifier c = entry.getValue();
            c.classifyAll(exchanges.subList(0, 128));
            results.add(best(rounds, "embedding, " + entry.getKey() + ", batch 1", exchanges.size(), () -> {
                for (Exchange e : exchanges) {
                    c.classify(e.prompt(), e.response());
                }
            }));
            for (int batch : new int[] {16, 64}) {
                results.add(best(rounds, "embedding, " + entry.getKey() + ", classifyAll batch " + batch, exchanges.size(), () -> {
                    for (int from = 0; from < exchanges.size(); from += batch) {
                        c.classifyAll(exchanges.subList(from, Math.min(exchanges.size(), from + batch)));
                    }
                }));
            }
        }

        StringBuilder md = new StringBuilder();
        md.append("# Classifier throughput\n\n")
                .append("Measured by `io.steerguard.classifier.ClassifierBench` (test scope) on ").append(LocalDate.now())
                .append(": ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", best of ").append(rounds).append(" rounds. ")
                .append("Input: the ").append(exchanges.size()).append(" responses of the committed dataset, mean ")
                .append(chars / exchanges.size()).append(" characters after the 512-character cut (~")
                .append(chars / exchanges.size() / 4).append(" word pieces).\n\n")
                .append("Rerun:\n\n```\n./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt\n")
                .append("DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.steerguard.classifier.ClassifierBench\n```\n\n")
                .append("Load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ").append(loadAverage())
                .append(". The machine is shared: a load above the core count means other processes took CPU, and the numbers below are then lower bounds.\n\n")
                .append("Encoder load: ").append(String.format(Locale.ROOT, "%.2f s", loadSeconds)).append(".\n\n")
                .append("CPU ms/verdict is the process CPU time (all threads, native ONNX ones included) per verdict in the best round; ")
                .append("it does not depend on other load, and 2 cores / CPU time bounds the uncontended throughput from above.\n\n")
                .append("| path | verdicts | wall time | verdicts/s | ms/verdict | CPU ms/verdict | bound on 2 idle cores |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            double cpuMs = 1000 * r.cpuSeconds() / r.verdicts();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f s | %.1f | %.3f | %.3f | %.0f/s |%n", r.name(), r.verdicts(),
                    r.seconds(), r.perSecond(), 1000 * r.seconds() / r.verdicts(), cpuMs, 2000 / cpuMs));
        }
        System.out.print(md);
        Path file = Path.of(args.length > 1 ? args[1] : "docs/bench/classifier.md");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static Result best(int rounds, String name, int verdicts, Runnable body) {
        double bestSeconds = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            body.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            if (seconds < bestSeconds) {
                bestSeconds = seconds;
            }
            bestCpu = Math.min(bestCpu, cpu);
        }
        System.err.printf("%s: %.1f verdicts/s, %.3f CPU ms/verdict%n", name, verdicts / bestSeconds, 1000 * bestCpu / verdicts);
        return new Result(name, verdicts, bestSeconds, bestCpu);
    }
}
