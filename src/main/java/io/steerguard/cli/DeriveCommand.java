package io.steerguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.derivation.ContrastiveData;
import io.steerguard.derivation.DerivationMethod;
import io.steerguard.derivation.LayerSeparation;
import io.steerguard.derivation.PcaOptions;
import io.steerguard.derivation.RuntimeDerivation;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorFormat;
import io.steerguard.steering.VectorSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Derives a steering vector from a model and contrastive data, through the embedded runtime's
 * activation capture, and writes it with a JSON report.
 *
 * <p>Data lines are {@code {"positive", "negative"}} prompt pairs (mean-diff, pca: read at the last
 * prompt token after the chat template's assistant header) or {@code {"prompt", "positive",
 * "negative"}} completions (caa, pca: read at the completion's last token). GGUF cannot hold layer
 * 0 (llama.cpp numbers control-vector layers from 1), so a GGUF output leaves layer 0 out and says
 * so; use {@code .safetensors} to keep it. Progress goes to standard error.
 */
@Command(name = "derive", description = "Derive a steering vector from a model and contrastive data "
        + "(progress on standard error).")
public final class DeriveCommand extends ToolCommand {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder.")
    Path model;
    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl",
            description = "Contrast pairs {positive, negative} or completions {prompt, positive, negative}.")
    Path dataFile;
    @Option(names = "--method", required = true, paramLabel = "mean-diff|caa|pca", description = "Derivation method.")
    String method;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output: .gguf, .safetensors or .json.")
    Path target;
    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|1,2,3",
            description = "0-based decoder layers (default: ${DEFAULT-VALUE}).")
    String layers;
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Prompts per batch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the derivation report.")
    Path report;
    @Option(names = "--model-hint", paramLabel = "HINT", description = "model_hint to store (default: the model's family).")
    String modelHint;
    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N examples.")
    Integer limit;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--max-context", defaultValue = "1024", paramLabel = "N",
            description = "Tokens per sequence, capped at the model's (default: ${DEFAULT-VALUE}).")
    int maxContext;

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        DerivationMethod derivation;
        ContrastiveData data;
        atLeast("--batch", batch, 1);
        atLeast("--max-context", maxContext, 2);
        try {
            derivation = DerivationMethod.fromConfigName(method);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (VectorFormat.ofFileName(target.getFileName().toString()) == null) {
            throw usage("--out must end in .gguf, .safetensors or .json");
        }
        try {
            data = ContrastiveData.parseJsonl(Files.readString(dataFile), dataFile.toString());
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        } catch (IOException e) {
            err.println("error: cannot read --data: " + e);
            return Exit.FAILURE;
        }
        if (limit != null) {
            data = data.limit(atLeast("--limit", limit, 1));
        }
        try {
            RuntimeDerivation.position(derivation, data.shape());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (ModelSession session = ModelSession.open(model, device, batch, maxContext)) {
            List<Integer> chosen;
            try {
                chosen = LayerList.parse(layers, session.numLayers(), "--layers");
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            String hint = modelHint != null ? modelHint : session.modelHint();
            err.printf(Locale.ROOT, "deriving %s from %d examples (%s) at layers %s of %s%n", derivation.configName(),
                    data.examples().size(), data.shape().name().toLowerCase(Locale.ROOT), chosen, model);
            RuntimeDerivation.Result result = RuntimeDerivation.derive(session.runtime, session.encoder, data,
                    new RuntimeDerivation.Options(derivation, chosen, batch, PcaOptions.defaults(), hint, Duration.ofMinutes(10)),
                    ModelSession.progress(err, "captured"));
            VectorSet vectors = result.derived().vectors();
            VectorSet written = forFormat(vectors, target, err);
            if (written == null) {
                return Exit.USAGE;
            }
            VectorFiles.write(written, target);
            if (report != null) {
                Files.createDirectories(report.toAbsolutePath().getParent());
                Files.writeString(report, report(result, model, dataFile.toString(), target, written));
            }
            summary(result, target, written, out);
            return Exit.OK;
        } catch (ParameterException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Exit.FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("error: derivation failed: " + e);
            return Exit.FAILURE;
        }
    }

    /**
     * The set as the target format can hold it: GGUF has no layer 0, so it is dropped with a
     * message; null (after the message) when nothing would be left.
     */
    static VectorSet forFormat(VectorSet vectors, Path target, PrintStream err) {
        if (VectorFormat.ofFileName(target.getFileName().toString()) != VectorFormat.GGUF
                || !vectors.directions().containsKey(0)) {
            return vectors;
        }
        String why = "layer 0 cannot be written to GGUF: direction.N steers the output of block N and llama.cpp "
                + "numbers control-vector layers from 1";
        if (vectors.directions().size() == 1) {
            err.println("error: " + why + "; write --out " + sibling(target) + " to keep it, or choose other --layers");
            return null;
        }
        err.println("note: " + why + "; layer 0 is left out of " + target + " (its numbers stay in the report; "
                + "use --out " + sibling(target) + " to keep it)");
        TreeMap<Integer, float[]> rest = new TreeMap<>(vectors.directions());
        rest.remove(0);
        return new VectorSet(vectors.modelHint(), rest, vectors.source());
    }

    private static String sibling(Path target) {
        String name = target.getFileName().toString();
        return name.substring(0, name.length() - ".gguf".length()) + ".safetensors";
    }

    static String report(RuntimeDerivation.Result result, Path model, String data, Path target, VectorSet written)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(result.derived().report().toJson());
        // the library report names the method's usual position; PCA may read either, so record the one used
        root.put("capturePosition", result.position().name().toLowerCase(Locale.ROOT));
        root.put("model", model.toString());
        root.put("data", data);
        root.put("out", target.toString());
        root.put("modelHint", written.modelHint());
        var layers = root.putArray("layersWritten");
        written.layers().forEach(layers::add);
        return root.toPrettyString() + "\n";
    }

    private static void summary(RuntimeDerivation.Result result, Path target, VectorSet written, PrintStream out) {
        out.printf(Locale.ROOT, "wrote %s: %s at %s, layers %s%n", target,
                result.derived().report().method().configName(), result.position().name().toLowerCase(Locale.ROOT),
                written.layers());
        out.printf(Locale.ROOT, "%-6s %-10s %-11s %-9s %s%n", "layer", "norm", "separation", "effect", "accuracy");
        for (LayerSeparation l : result.derived().report().layers()) {
            out.printf(Locale.ROOT, "%-6d %-10.4g %-11.4g %-9.3g %.3f%n", l.layer(), l.norm(), l.separation(),
                    l.effectSize(), l.midpointAccuracy());
        }
    }
}
