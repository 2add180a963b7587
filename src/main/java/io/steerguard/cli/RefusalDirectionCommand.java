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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Computes a model's refusal direction (difference of means between harmful and harmless
 * instructions, per layer, at the last prompt token after the chat template - the last of Arditi et
 * al.'s post-instruction positions) and its refusal-token set, and stores both as
 * {@code refusal-direction.safetensors} beside the model's vectors.
 *
 * <p>The instruction sets default to the shipped {@code datasets/harmful-instructions.jsonl} and
 * {@code datasets/harmless-instructions.jsonl}. The refusal tokens are the first token, in this
 * model's tokenizer, of each comma-separated refusal start (default
 * {@link RefusalDirectionDerivation#DEFAULT_REFUSAL_STARTS}).
 */
@Command(name = "refusal-direction", description = "Compute a model's refusal direction and refusal tokens and "
        + "store them as refusal-direction.safetensors beside its vectors.")
public final class RefusalDirectionCommand extends ToolCommand {

    static final String DEFAULT_HARMFUL = "datasets/harmful-instructions.jsonl";
    static final String DEFAULT_HARMLESS = "datasets/harmless-instructions.jsonl";

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder.")
    Path model;
    @Option(names = "--harmful", paramLabel = "FILE.jsonl", description = "Harmful instructions (default: the shipped set).")
    String harmfulFile;
    @Option(names = "--harmless", paramLabel = "FILE.jsonl", description = "Harmless instructions (default: the shipped set).")
    String harmlessFile;
    @Option(names = "--field", defaultValue = "instruction", paramLabel = "NAME",
            description = "JSON field holding the text (default: ${DEFAULT-VALUE}).")
    String field;
    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|1,2", description = "0-based layers (default: ${DEFAULT-VALUE}).")
    String layers;
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Prompts per batch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--out-dir", paramLabel = "DIR", description = "Where to write (default: MODEL/vectors).")
    Path outDir;
    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N instructions of each set.")
    Integer limit;
    @Option(names = "--refusal-starts", paramLabel = "I,I'm,Sorry,As", description = "Comma-separated refusal starts.")
    String refusalStarts;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--max-context", defaultValue = "1024", paramLabel = "N", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int maxContext;

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        List<String> harmful;
        List<String> harmless;
        List<String> starts;
        atLeast("--batch", batch, 1);
        atLeast("--max-context", maxContext, 2);
        try {
            harmful = instructions(harmfulFile, DEFAULT_HARMFUL, field);
            harmless = instructions(harmlessFile, DEFAULT_HARMLESS, field);
            if (limit != null) {
                int n = atLeast("--limit", limit, 1);
                harmful = harmful.subList(0, Math.min(n, harmful.size()));
                harmless = harmless.subList(0, Math.min(n, harmless.size()));
            }
            starts = refusalStarts != null
                    ? Arrays.stream(refusalStarts.split(",")).filter(s -> !s.isBlank()).toList()
                    : RefusalDirectionDerivation.DEFAULT_REFUSAL_STARTS;
            if (starts.isEmpty()) {
                throw usage("--refusal-starts names no text");
            }
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        } catch (IOException e) {
            err.println("error: cannot read instructions: " + e);
            return Exit.FAILURE;
        }
        Path target = (outDir != null ? outDir : model.resolve("vectors")).resolve(RefusalDirection.FILE_NAME);
        try (ModelSession session = ModelSession.open(model, device, batch, maxContext)) {
            List<Integer> chosen;
            try {
                chosen = LayerList.parse(layers, session.numLayers(), "--layers");
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            Set<Integer> tokenIds = RefusalDirectionDerivation.refusalTokenIds(session.encoder, starts);
            err.printf(Locale.ROOT, "refusal direction of %s from %d harmful and %d harmless instructions at layers %s%n",
                    model, harmful.size(), harmless.size(), chosen);
            RefusalDirection direction = RefusalDirectionDerivation.compute(session.runtime, session.encoder, harmful,
                    harmless, chosen, batch, Duration.ofMinutes(10), session.modelHint(), tokenIds,
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
            return Exit.OK;
        } catch (ParameterException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            err.println("error: refusal direction failed: " + e);
            return Exit.FAILURE;
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
