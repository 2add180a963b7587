package io.steerguard.cli;

import io.steerguard.derivation.ContrastiveData;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.derivation.RefusalDirectionDerivation;
import io.steerguard.steering.VectorMath;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Computes a model's refusal direction (difference of means between harmful and harmless
 * instructions, per layer, at the last prompt token after the chat template - the last of Arditi et
 * al.'s post-instruction positions) and its refusal-token set, and stores both as
 * {@code refusal-direction.safetensors} beside the model's vectors.
 *
 * <pre>
 * refusal-direction --model DIR [--harmful FILE.jsonl] [--harmless FILE.jsonl] [--field instruction]
 *                   [--layers all|1,2] [--batch 8] [--out-dir DIR/vectors] [--limit N]
 *                   [--refusal-starts "I,I'm,Sorry,As"] [--device auto|cpu|cuda:N] [--max-context 1024]
 * </pre>
 * The instruction sets default to the shipped {@code datasets/harmful-instructions.jsonl} and
 * {@code datasets/harmless-instructions.jsonl}. The refusal tokens are the first token, in this
 * model's tokenizer, of each comma-separated refusal start (default
 * {@link RefusalDirectionDerivation#DEFAULT_REFUSAL_STARTS}).
 *
 * <p>Exit codes: 0 written; 1 model, capture or I/O failure; 2 bad arguments or malformed data.
 */
public final class RefusalDirectionCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final String USAGE_TEXT = """
            usage: refusal-direction --model DIR [--harmful FILE.jsonl] [--harmless FILE.jsonl] [--field instruction]
                                     [--layers all|1,2] [--batch 8] [--out-dir DIR/vectors] [--limit N]
                                     [--refusal-starts "I,I'm,Sorry,As"] [--device auto|cpu|cuda:N] [--max-context 1024]
            """;
    static final String DEFAULT_HARMFUL = "datasets/harmful-instructions.jsonl";
    static final String DEFAULT_HARMLESS = "datasets/harmless-instructions.jsonl";
    private static final Set<String> VALUED = Set.of("model", "harmful", "harmless", "field", "layers", "batch",
            "out-dir", "limit", "refusal-starts", "device", "max-context");

    private RefusalDirectionCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions opts;
        Path model;
        List<String> harmful;
        List<String> harmless;
        List<String> starts;
        int batch;
        int maxContext;
        try {
            opts = new CliOptions(args, VALUED, Set.of());
            model = Path.of(opts.require("model"));
            String field = opts.get("field", "instruction");
            harmful = instructions(opts.get("harmful"), DEFAULT_HARMFUL, field);
            harmless = instructions(opts.get("harmless"), DEFAULT_HARMLESS, field);
            if (opts.has("limit")) {
                int limit = opts.integer("limit", 0, 1);
                harmful = harmful.subList(0, Math.min(limit, harmful.size()));
                harmless = harmless.subList(0, Math.min(limit, harmless.size()));
            }
            starts = opts.has("refusal-starts")
                    ? Arrays.stream(opts.get("refusal-starts").split(",")).filter(s -> !s.isBlank()).toList()
                    : RefusalDirectionDerivation.DEFAULT_REFUSAL_STARTS;
            if (starts.isEmpty()) {
                throw new IllegalArgumentException("--refusal-starts names no text");
            }
            batch = opts.integer("batch", 8, 1);
            maxContext = opts.integer("max-context", 1024, 2);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("error: cannot read instructions: " + e);
            return FAILURE;
        }
        Path target = Path.of(opts.get("out-dir", model.resolve("vectors").toString())).resolve(RefusalDirection.FILE_NAME);
        try (ModelSession session = ModelSession.open(model, opts.get("device", "auto"), batch, maxContext)) {
            List<Integer> layers;
            try {
                layers = CliOptions.layers(opts.get("layers", "all"), session.numLayers(), "layers");
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }
            Set<Integer> tokenIds = RefusalDirectionDerivation.refusalTokenIds(session.encoder, starts);
            err.printf(Locale.ROOT, "refusal direction of %s from %d harmful and %d harmless instructions at layers %s%n",
                    model, harmful.size(), harmless.size(), layers);
            RefusalDirection direction = RefusalDirectionDerivation.compute(session.runtime, session.encoder, harmful,
                    harmless, layers, batch, Duration.ofMinutes(10), session.modelHint(), tokenIds,
                    ModelSession.progress(err, "captured"));
            direction.write(target);
            out.printf(Locale.ROOT, "wrote %s%n", target);
            out.printf(Locale.ROOT, "%-6s %s%n", "layer", "|r|");
            for (int layer : direction.directions().layers()) {
                out.printf(Locale.ROOT, "%-6d %.4g%n", layer, VectorMath.norm(direction.directions().direction(layer)));
            }
            StringBuilder tokens = new StringBuilder();
            for (int id : new java.util.TreeSet<>(direction.refusalTokenIds())) {
                tokens.append(tokens.length() == 0 ? "" : ", ").append(id).append(" '")
                        .append(session.runtime.tokenizer().decode(new int[] {id})).append('\'');
            }
            out.println("refusal tokens: " + tokens);
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("error: refusal direction failed: " + e);
            return FAILURE;
        }
    }

    /** One text per line from {@code file}, or from the shipped resource when no file is given. */
    static List<String> instructions(String file, String resource, String field) throws IOException {
        if (file != null) {
            return ContrastiveData.parseField(Files.readString(Path.of(file)), field, file);
        }
        try (InputStream in = RefusalDirectionCommand.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is not on the class path");
            }
            return ContrastiveData.parseField(new String(in.readAllBytes(), StandardCharsets.UTF_8), field, resource);
        }
    }
}
