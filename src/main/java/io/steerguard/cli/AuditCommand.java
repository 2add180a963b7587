package io.steerguard.cli;

import io.steerguard.config.ConfigLoader;
import io.steerguard.config.ConfigProblem;
import io.steerguard.config.ConfigSet;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.GeometryBands;
import io.steerguard.steering.GeometryReport;
import io.steerguard.steering.GeometryVerdict;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.ResidualNorms;
import io.steerguard.steering.SteeringGeometry;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorEntry;
import io.steerguard.steering.VectorFileException;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorSet;
import io.steerguard.steering.VectorStore;
import io.steerguard.steering.VectorValidation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Audits steering vectors against a model's refusal direction before deployment: per steered
 * layer the cosine with the refusal direction, the norm relative to the model's mean residual norm
 * (measured on a few benign prompts), and a verdict band; optionally writes the refusal-ablated
 * variant {@code v - <v,r^>r^}.
 *
 * <pre>
 * audit (--vector FILE [--layers 1,2] [--coefficient 1.0] --model DIR
 *       | --config PATH[,PATH] --profile NAME [--base-dir .] [--model DIR])
 *       [--refusal FILE] [--bands -0.1,0.1] [--json] [--export-ablated OUT.gguf] [--fail-on-risk]
 *       [--device auto|cpu|cuda:N]
 * </pre>
 * With a profile the model is the profile's embedded runtime's folder; the refusal direction
 * defaults to {@code <model>/vectors/refusal-direction.safetensors}.
 *
 * <p>Exit codes: 0 audited; 1 model, file or I/O failure; 2 bad arguments; 3 with
 * {@code --fail-on-risk} when a layer raises jailbreak risk.
 */
public final class AuditCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int RISK = 3;
    static final String USAGE_TEXT = """
            usage: audit (--vector FILE [--layers 1,2] [--coefficient 1.0] --model DIR
                         | --config PATH[,PATH] --profile NAME [--base-dir .] [--model DIR])
                         [--refusal FILE] [--bands -0.1,0.1] [--json] [--export-ablated OUT.gguf] [--fail-on-risk]
                         [--device auto|cpu|cuda:N]
            """;
    private static final Set<String> VALUED = Set.of("vector", "layers", "coefficient", "model", "config", "profile",
            "base-dir", "refusal", "bands", "export-ablated", "device");
    private static final Set<String> SWITCHES = Set.of("json", "fail-on-risk");

    /** What to audit: a vector file's layers with a coefficient, or a profile document. */
    private record Target(String subject, Path model, List<VectorEntry> entries, Path baseDir) {
    }

    private AuditCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions opts;
        Target target;
        GeometryBands bands;
        try {
            opts = new CliOptions(args, VALUED, SWITCHES);
            bands = bands(opts.get("bands"));
            target = target(opts);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        Path refusalFile = Path.of(opts.get("refusal",
                target.model().resolve("vectors").resolve(RefusalDirection.FILE_NAME).toString()));
        if (!Files.isRegularFile(refusalFile)) {
            err.println("error: no refusal direction at " + refusalFile + "; compute it with: refusal-direction --model "
                    + target.model());
            return FAILURE;
        }
        try (ModelSession session = ModelSession.open(target.model(), opts.get("device", "auto"), 1, 256)) {
            RefusalDirection refusal = RefusalDirection.read(refusalFile);
            Map<Integer, Double> norms = ResidualNorms.measure(session.runtime, session.numLayers(), Duration.ofMinutes(5));
            VectorValidation validation = new VectorValidation(session.runtime.modelConfig().hiddenSize(),
                    session.numLayers(), session.modelHint(), VectorValidation.HintPolicy.WARN);
            ProfileResolution resolution = new SteeringResolver(new VectorStore(), target.baseDir(), validation)
                    .resolve(target.entries(), norms);
            if (resolution instanceof ProfileResolution.Unavailable unavailable) {
                unavailable.errors().forEach(e -> err.println("error: " + e.getMessage()));
                return FAILURE;
            }
            ProfileResolution.Ready ready = (ProfileResolution.Ready) resolution;
            ready.warnings().forEach(w -> err.println("warning: " + w));
            GeometryReport report = GeometryReport.audit(target.subject(), ready.spec(), refusal, refusalFile.toString(),
                    norms, bands);
            out.print(opts.has("json") ? report.toJson().toPrettyString() + "\n" : report.toText());
            if (opts.has("export-ablated")) {
                exportAblated(target, refusal, Path.of(opts.get("export-ablated")), err);
            }
            return opts.has("fail-on-risk") && report.worstVerdict() == GeometryVerdict.RAISES_JAILBREAK_RISK ? RISK : OK;
        } catch (VectorFileException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("error: audit failed: " + e);
            return FAILURE;
        }
    }

    /** Writes {@code v - <v,r^>r^} of the (single) audited vector file's layers, as stored in the file. */
    private static void exportAblated(Target target, RefusalDirection refusal, Path out, PrintStream err)
            throws IOException {
        if (target.entries().size() != 1) {
            throw new IllegalArgumentException("--export-ablated needs one vector file, the profile has "
                    + target.entries().size() + " entries; audit one with --vector");
        }
        VectorEntry entry = target.entries().get(0);
        VectorSet file = VectorFiles.read(target.baseDir().resolve(entry.file()));
        VectorSet set = file;
        if (!entry.layers().isEmpty()) {
            TreeMap<Integer, float[]> chosen = new TreeMap<>();
            entry.layers().forEach(l -> chosen.put(l, file.direction(l)));
            set = new VectorSet(file.modelHint(), chosen, file.source());
        }
        VectorSet ablated = SteeringGeometry.ablateRefusal(set, refusal);
        if (out.getFileName().toString().endsWith(".gguf") && ablated.directions().containsKey(0)) {
            throw new IllegalArgumentException("layer 0 cannot be written to GGUF (llama.cpp numbers control-vector "
                    + "layers from 1); export to a .safetensors file instead");
        }
        VectorFiles.write(ablated, out);
        err.println("wrote refusal-ablated vectors to " + out + " (layers " + ablated.layers() + ")");
    }

    private static Target target(CliOptions opts) {
        boolean vector = opts.has("vector");
        boolean profile = opts.has("profile") || opts.has("config");
        if (vector == profile) {
            throw new IllegalArgumentException("give either --vector FILE or --config PATH --profile NAME");
        }
        if (vector) {
            List<Integer> layers = opts.has("layers") ? Arrays.stream(opts.get("layers").split(","))
                    .map(s -> parseLayer(s)).toList() : List.of();
            Path file = Path.of(opts.get("vector")).toAbsolutePath();
            VectorEntry entry = VectorEntry.add(file.toString(), layers, opts.decimal("coefficient", 1.0));
            return new Target(file.toString(), Path.of(opts.require("model")), List.of(entry), Path.of("."));
        }
        String name = opts.require("profile");
        Path baseDir = Path.of(opts.get("base-dir", "."));
        List<Path> roots = Arrays.stream(opts.require("config").split(",")).map(Path::of).toList();
        ConfigLoader.Outcome outcome = new ConfigLoader().load(roots);
        if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
            throw new IllegalArgumentException("configuration is invalid:\n  " + String.join("\n  ",
                    rejected.problems().stream().filter(ConfigProblem::isError).map(ConfigProblem::toString).toList()));
        }
        ConfigSet config = ((ConfigLoader.Outcome.Loaded) outcome).config();
        SteeringProfileDocument doc = config.profiles().get(name);
        if (doc == null) {
            throw new IllegalArgumentException("no SteeringProfile named '" + name + "' in " + roots + "; profiles: "
                    + new java.util.TreeSet<>(config.profiles().keySet()));
        }
        RuntimeDocument runtime = config.runtimes().get(doc.runtime());
        Path model;
        if (opts.has("model")) {
            model = Path.of(opts.get("model"));
        } else if (runtime.spec() instanceof RuntimeDocument.Embedded embedded) {
            model = baseDir.resolve(embedded.model());
        } else {
            throw new IllegalArgumentException("profile '" + name + "' runs on the " + runtime.spec().type()
                    + " runtime '" + doc.runtime() + "'; pass --model with the model folder to audit it");
        }
        List<VectorEntry> entries = doc.vectors().stream().map(SteeringProfileDocument.VectorEntry::toSteering).toList();
        return new Target("profile " + name, model, entries, baseDir);
    }

    private static int parseLayer(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layers must be comma-separated layer numbers, got '" + s + "'");
        }
    }

    private static GeometryBands bands(String spec) {
        if (spec == null) {
            return GeometryBands.defaults();
        }
        String[] parts = spec.split(",");
        try {
            if (parts.length == 2) {
                return new GeometryBands(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--bands must be RISK_BELOW,OVER_REFUSAL_ABOVE, e.g. -0.1,0.1, got '" + spec + "'");
    }
}
