package io.steerguard.training.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Training time and compression of the BPE trainer on ~6 MB of synthetic text. Writes
 * {@code docs/bench/tokenizer.md}. Not a test; run it alone (one core is enough, the trainer is
 * single-threaded):
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.steerguard.training.tokenizer.BpeTrainerBench [rounds]
 * </pre>
 */
public final class BpeTrainerBench {

    private static final int BYTES = 6_000_000;
    private static final int VOCAB = 2048;

    private record Row(String corpus, int bytes, int pieces, int distinct, double coldWall, double bestWall, double bestCpu,
                       int vocab, long tokens, long hfTokens) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String loadBefore = loadAverage();
        List<Row> rows = List.of(
                run("template sentences (SyntheticCorpus.paragraphs)", SyntheticCorpus.paragraphs(1, BYTES), rounds),
                run("pseudo-word lexicon of 50,000, Zipf (SyntheticCorpus.lexiconParagraphs)",
                        SyntheticCorpus.lexiconParagraphs(1, BYTES, 50_000), rounds));
        String loadAfter = loadAverage();

        StringBuilder md = new StringBuilder("# BPE tokenizer training\n\n");
        md.append("Measured by `io.steerguard.training.tokenizer.BpeTrainerBench` (test scope) on ")
                .append(LocalDate.now()).append(": Java ").append(System.getProperty("java.version"))
                .append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible, the trainer uses one thread. Best of ").append(rounds)
                .append(" rounds after one cold first run (also shown: the training command runs once in a fresh JVM); vocabulary ").append(VOCAB)
                .append(" (256 bytes + learned + 6 specials). CPU is the training thread's CPU time, ")
                .append("which other load on the machine does not inflate.\n\nRerun:\n\n```\n")
                .append("./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt\n")
                .append("DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp target/test-classes:target/classes:$(cat target/cp.txt) "
                        + "io.steerguard.training.tokenizer.BpeTrainerBench\n```\n\n")
                .append("Load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ")
                .append(loadAfter).append(".\n\n")
                .append("| corpus | UTF-8 bytes | pieces | distinct pieces | first run (cold JVM) wall | best wall | best CPU | vocab | tokens (reference encoder) | tokens (HF tokenizers) | bytes/token |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.2f s | %.2f s | %.2f s | %d | %,d | %,d | %.2f |\n",
                    r.corpus, r.bytes, r.pieces, r.distinct, r.coldWall, r.bestWall, r.bestCpu, r.vocab, r.tokens, r.hfTokens,
                    (double) r.bytes / r.tokens));
        }
        md.append("\nBytes/token is measured on the training text itself, so it is an upper bound for unseen ")
                .append("text. The template corpus repeats a small word list, so it compresses far better than ")
                .append("real prose would; the lexicon corpus is closer to real text in its number of distinct words.\n");
        Path out = Path.of("docs/bench/tokenizer.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    private static Row run(String name, List<String> corpus, int rounds) throws Exception {
        int bytes = corpus.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
        int[] pieces = {0};
        Set<String> distinct = new HashSet<>();
        PreTokenizer preTokenizer = new PreTokenizer(BpeTrainer.LLAMA3_SPECIAL_TOKENS);
        PreTokenizer.Sink counter = new PreTokenizer.Sink() {
            @Override
            public void word(String piece) {
                pieces[0]++;
                distinct.add(piece);
            }

            @Override
            public void special(String token) {
            }
        };
        for (String text : corpus) {
            preTokenizer.split(text, counter);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long coldStart = System.nanoTime();
        new BpeTrainer(VOCAB).train(corpus);
        double coldWall = (System.nanoTime() - coldStart) / 1e9;
        double bestWall = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        BpeVocabulary vocab = null;
        for (int round = 0; round < rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            vocab = new BpeTrainer(VOCAB).train(corpus);
            bestWall = Math.min(bestWall, (System.nanoTime() - start) / 1e9);
            bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
        }
        BpeEncoder encoder = new BpeEncoder(vocab);
        long tokens = 0;
        for (String text : corpus) {
            tokens += encoder.encode(text).length;
        }
        Path dir = Files.createTempDirectory("bpe-bench");
        TokenizerFiles.write(dir, vocab);
        long hfTokens = 0;
        try (InputStream json = Files.newInputStream(dir.resolve(TokenizerFiles.TOKENIZER_JSON));
             HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json,
                     Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            for (String text : corpus) {
                hfTokens += hf.encode(text, false, false).getIds().length;
            }
        }
        System.err.printf(Locale.ROOT, "%s: cold %.2f s, best %.2f s wall, %.2f s CPU%n", name, coldWall, bestWall, bestCpu);
        return new Row(name, bytes, pieces[0], distinct.size(), coldWall, bestWall, bestCpu, vocab.size(), tokens, hfTokens);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
