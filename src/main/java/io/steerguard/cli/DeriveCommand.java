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
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives a steering vector from a model and contrastive data, through the embedded runtime's
 * activation capture, and writes it with a JSON report.
 *
 * <pre>
 * derive --model DIR --data FILE.jsonl --method mean-diff|caa|pca --out FILE.gguf|.safetensors|.json
 *        [--layers all|1,2,3] [--batch 8] [--report report.json] [--model-hint llama] [--limit N]
 *        [--device auto|cpu|cuda:N] [--max-context 1024]
 * </pre>
 * Data lines are {@code {"positive", "negative"}} prompt pairs (mean-diff, pca: read at the last
 * prompt token after the chat template's assistant header) or {@code {"prompt", "positive",
 * "negative"}} completions (caa, pca: read at the completion's last token). GGUF cannot hold layer
 * 0 (llama.cpp numbers control-vector layers from 1), so a GGUF output leaves layer 0 out and says
 * so; use {@code .safetensors} to keep it. Progress goes to standard error.
 *
 * <p>Exit codes: 0 written; 1 model, capture or I/O failure; 2 bad arguments or malformed data.
 */
public final class DeriveCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final String USAGE_TEXT = """
            usage: derive --model DIR --data FILE.jsonl --method mean-diff|caa|pca --out FILE.gguf
                          [--layers all|1,2,3] [--batch 8] [--report report.json] [--model-hint HINT]
                          [--limit N] [--device auto|cpu|cuda:N] [--max-context 1024]
            """;
    private static final Set<String> VALUED = Set.of("model", "data", "method", "layers", "batch", "out", "report",
            "model-hint", "limit", "device", "max-context");

    private DeriveCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions opts;
        DerivationMethod method;
        ContrastiveData data;
        Path model;
        Path target;
        try {
            opts = new CliOptions(args, VALUED, Set.of());
            model = Path.of(opts.require("model"));
            method = DerivationMethod.fromConfigName(opts.require("method"));
            target = Path.of(opts.require("out"));
            if (VectorFormat.ofFileName(target.getFileName().toString()) == null) {
                throw new IllegalArgumentException("--out must end in .gguf, .safetensors or .json");
            }
            Path dataFile = Path.of(opts.require("data"));
            data = ContrastiveData.parseJsonl(Files.readString(dataFile), dataFile.toString());
            if (opts.has("limit")) {
                data = data.limit(opts.integer("limit", 0, 1));
            }
            RuntimeDerivation.position(method, data.shape());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("error: cannot read --data: " + e);
            return FAILURE;
        }
        int batch;
        int maxContext;
        try {
            batch = opts.integer("batch", 8, 1);
            maxContext = opts.integer("max-context", 1024, 2);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        try (ModelSession session = ModelSession.open(model, opts.get("device", "auto"), batch, maxContext)) {
            List<Integer> layers;
            try {
                layers = CliOptions.layers(opts.get("layers", "all"), session.numLayers(), "layers");
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }
            String hint = opts.get("model-hint", session.modelHint());
            err.printf(Locale.ROOT, "deriving %s from %d examples (%s) at layers %s of %s%n", method.configName(),
                    data.examples().size(), data.shape().name().toLowerCase(Locale.ROOT), layers, model);
            RuntimeDerivation.Result result = RuntimeDerivation.derive(session.runtime, session.encoder, data,
                    new RuntimeDerivation.Options(method, layers, batch, PcaOptions.defaults(), hint, Duration.ofMinutes(10)),
                    ModelSession.progress(err, "captured"));
            VectorSet vectors = result.derived().vectors();
            VectorSet written = forFormat(vectors, target, err);
            if (written == null) {
                return USAGE;
            }
            VectorFiles.write(written, target);
            if (opts.has("report")) {
                Path report = Path.of(opts.get("report"));
                Files.createDirectories(report.toAbsolutePath().getParent());
                Files.writeString(report, report(result, model, opts.get("data"), target, written));
            }
            summary(result, target, written, out);
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("error: derivation failed: " + e);
            return FAILURE;
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
