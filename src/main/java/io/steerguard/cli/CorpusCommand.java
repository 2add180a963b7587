package io.steerguard.cli;

import io.steerguard.training.corpus.Category;
import io.steerguard.training.corpus.DemoCorpus;
import io.steerguard.training.corpus.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.training.corpus.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Generates the demo chat model's corpus from the team-written templates and a seed.
 *
 * Writes {@code train.jsonl} and {@code held-out.jsonl} (every field of every example),
 * {@code json-format-pairs.jsonl} and {@code compliance-pairs.jsonl} (train-split contrast pairs
 * for {@code derive}), and {@code harmful.jsonl} / {@code harmless.jsonl} (train-split instructions
 * for {@code refusal-direction}), and {@code held-out-harmful.requests.jsonl} /
 * {@code held-out-benign.requests.jsonl}: one OpenAI chat-completions body per held-out HARMFUL / BENIGN
 * prompt (model {@code demo-chat}, greedy), ready for {@code curl -d @-} in the README's walkthrough.
 * Prints the example counts per category and split.
 */
@Command(name = "corpus", description = "Generate the demo chat model's corpus (train, held-out, contrast pairs, "
        + "instruction sets, request bodies) from the templates and a seed.")
public final class CorpusCommand extends ToolCommand {

    static final long DEFAULT_SEED = 7;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write.")
    Path dir;
    @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        long start = System.nanoTime();
        DemoCorpus corpus = DemoCorpus.generate(seed);
        err.printf(Locale.ROOT, "generated %d examples from seed %d in %d ms%n", corpus.examples().size(), seed,
                (System.nanoTime() - start) / 1_000_000);
        try {
            corpus.writeJsonl(dir.resolve("train.jsonl"), Split.TRAIN);
            corpus.writeJsonl(dir.resolve("held-out.jsonl"), Split.HELD_OUT);
            DemoCorpus.writePairs(dir.resolve("json-format-pairs.jsonl"), corpus.jsonFormatPairs(Split.TRAIN));
            DemoCorpus.writePairs(dir.resolve("compliance-pairs.jsonl"), corpus.compliancePairs(Split.TRAIN));
            corpus.writeInstructions(dir.resolve("harmful.jsonl"), Split.TRAIN, true);
            corpus.writeInstructions(dir.resolve("harmless.jsonl"), Split.TRAIN, false);
            writeRequests(dir.resolve("held-out-harmful.requests.jsonl"), corpus, Category.HARMFUL);
            writeRequests(dir.resolve("held-out-benign.requests.jsonl"), corpus, Category.BENIGN);
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot write the corpus to " + dir + ": " + e);
            return Exit.FAILURE;
        }
        out.printf(Locale.ROOT, "wrote %s%n", dir);
        out.printf(Locale.ROOT, "%-20s %7s %9s%n", "category", "train", "held-out");
        for (Category c : Category.values()) {
            out.printf(Locale.ROOT, "%-20s %7d %9d%n", c.name().toLowerCase(Locale.ROOT),
                    corpus.select(Split.TRAIN, c).size(), corpus.select(Split.HELD_OUT, c).size());
        }
        out.printf(Locale.ROOT, "%-20s %7d %9d%n", "total", corpus.split(Split.TRAIN).size(),
                corpus.split(Split.HELD_OUT).size());
        out.printf(Locale.ROOT, "pairs: json-format %d, compliance %d%n", corpus.jsonFormatPairs(Split.TRAIN).size(),
                corpus.compliancePairs(Split.TRAIN).size());
        return Exit.OK;
    }

    /** One chat-completions request body per held-out example of {@code category}, one per line. */
    static void writeRequests(Path file, DemoCorpus corpus, Category category) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (Example e : corpus.select(Split.HELD_OUT, category)) {
            ObjectNode body = json.createObjectNode();
            body.put("model", "demo-chat");
            body.put("temperature", 0);
            body.put("max_tokens", 48);
            ArrayNode messages = body.putArray("messages");
            if (e.system() != null) {
                messages.addObject().put("role", "system").put("content", e.system());
            }
            messages.addObject().put("role", "user").put("content", e.prompt());
            lines.append(json.writeValueAsString(body)).append('\n');
        }
        Files.writeString(file, lines.toString());
    }
}
