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
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Audits steering vectors against a model's refusal direction before deployment: per steered
 * layer the cosine with the refusal direction, the norm relative to the model's mean residual norm
 * (measured on a few benign prompts), and a verdict band; optionally writes the refusal-ablated
 * variant {@code v - <v,r^>r^}.
 *
 * <p>Either a vector file ({@code --vector}, with {@code --model}) or a profile document
 * ({@code --config --profile}). With a profile the model is the profile's embedded runtime's
 * folder; the refusal direction defaults to {@code <model>/vectors/refusal-direction.safetensors}.
 */
@Command(name = "audit", description = "Audit steering vectors against a model's refusal direction "
        + "(cosine, relative norm, verdict per layer).")
public final class AuditCommand extends ToolCommand {

    @Option(names = "--vector", paramLabel = "FILE", description = "A vector file to audit (with --model).")
    Path vector;
    @Option(names = "--layers", paramLabel = "1,2", description = "Layers of --vector (default: every layer it holds).")
    String layers;
    @Option(names = "--coefficient", defaultValue = "1.0", paramLabel = "C", description = "Coefficient of --vector (default: ${DEFAULT-VALUE}).")
    double coefficient;
    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default with a profile: its embedded runtime's).")
    Path model;
    @Option(names = "--config", paramLabel = "PATH[,PATH]", description = "Configuration files or folders holding --profile.")
    String config;
    @Option(names = "--profile", paramLabel = "NAME", description = "SteeringProfile to audit.")
    String profile;
    @Option(names = "--base-dir", defaultValue = ".", paramLabel = "DIR", description = "Base of the profile's relative paths (default: ${DEFAULT-VALUE}).")
    Path baseDir;
    @Option(names = "--refusal", paramLabel = "FILE", description = "Refusal direction (default: MODEL/vectors/refusal-direction.safetensors).")
    Path refusalOption;
    @Option(names = "--bands", paramLabel = "RISK_BELOW,OVER_REFUSAL_ABOVE", description = "Cosine bands, e.g. -0.1,0.1.")
    String bandsOption;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Option(names = "--export-ablated", paramLabel = "OUT.gguf", description = "Write the refusal-ablated vector v - <v,r>r.")
    Path exportAblated;
    @Option(names = "--fail-on-risk", description = "Exit 1 when a layer raises jailbreak risk.")
    boolean failOnRisk;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    /** What to audit: a vector file's layers with a coefficient, or a profile document. */
    private record Target(String subject, Path model, List<VectorEntry> entries, Path baseDir) {
    }

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        Target target;
        GeometryBands bands;
        try {
            bands = bands(bandsOption);
            target = target();
        } catch (ConfigInvalid e) {
            err.println("error: " + e.getMessage());
            return Exit.CHECK_FAILED;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Path refusalFile = refusalOption != null ? refusalOption
                : target.model().resolve("vectors").resolve(RefusalDirection.FILE_NAME);
        if (!Files.isRegularFile(refusalFile)) {
            err.println("error: no refusal direction at " + refusalFile + "; compute it with: steerguard refusal-direction "
                    + "--model " + target.model());
            return Exit.FAILURE;
        }
        try (ModelSession session = ModelSession.open(target.model(), device, 1, 256)) {
            RefusalDirection refusal = RefusalDirection.read(refusalFile);
            Map<Integer, Double> norms = ResidualNorms.measure(session.runtime, session.numLayers(), Duration.ofMinutes(5));
            VectorValidation validation = new VectorValidation(session.runtime.modelConfig().hiddenSize(),
                    session.numLayers(), session.modelHint(), VectorValidation.HintPolicy.WARN);
            ProfileResolution resolution = new SteeringResolver(new VectorStore(), target.baseDir(), validation)
                    .resolve(target.entries(), norms);
            if (resolution instanceof ProfileResolution.Unavailable unavailable) {
                unavailable.errors().forEach(e -> err.println("error: " + e.getMessage()));
                return Exit.FAILURE;
            }
            ProfileResolution.Ready ready = (ProfileResolution.Ready) resolution;
            ready.warnings().forEach(w -> err.println("warning: " + w));
            GeometryReport report = GeometryReport.audit(target.subject(), ready.spec(), refusal, refusalFile.toString(),
                    norms, bands);
            out.print(json ? report.toJson().toPrettyString() + "\n" : report.toText());
            if (exportAblated != null) {
                exportAblated(target, refusal, exportAblated, err);
            }
            return failOnRisk && report.worstVerdict() == GeometryVerdict.RAISES_JAILBREAK_RISK ? Exit.CHECK_FAILED : Exit.OK;
        } catch (VectorFileException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Exit.FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("error: audit failed: " + e);
            return Exit.FAILURE;
        }
    }

    /** The configuration holding the profile is invalid: a failed check, not a typo on the command line. */
    private static final class ConfigInvalid extends IllegalArgumentException {
        ConfigInvalid(String message) {
            super(message);
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

    private Target target() {
        boolean byVector = vector != null;
        boolean byProfile = profile != null || config != null;
        if (byVector == byProfile) {
            throw new IllegalArgumentException("give either --vector FILE or --config PATH --profile NAME");
        }
        if (byVector) {
            List<Integer> chosen = layers != null ? Arrays.stream(layers.split(",")).map(s -> parseLayer(s)).toList()
                    : List.of();
            Path file = vector.toAbsolutePath();
            VectorEntry entry = VectorEntry.add(file.toString(), chosen, finite("--coefficient", coefficient));
            if (model == null) {
                throw new IllegalArgumentException("--model is required with --vector");
            }
            return new Target(file.toString(), model, List.of(entry), Path.of("."));
        }
        if (profile == null || config == null) {
            throw new IllegalArgumentException("--config and --profile go together");
        }
        List<Path> roots = Arrays.stream(config.split(",")).map(Path::of).toList();
        ConfigLoader.Outcome outcome = new ConfigLoader().load(roots);
        if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
            throw new ConfigInvalid("configuration is invalid:\n  " + String.join("\n  ",
                    rejected.problems().stream().filter(ConfigProblem::isError).map(ConfigProblem::toString).toList()));
        }
        ConfigSet set = ((ConfigLoader.Outcome.Loaded) outcome).config();
        SteeringProfileDocument doc = set.profiles().get(profile);
        if (doc == null) {
            throw new IllegalArgumentException("no SteeringProfile named '" + profile + "' in " + roots + "; profiles: "
                    + new java.util.TreeSet<>(set.profiles().keySet()));
        }
        RuntimeDocument runtime = set.runtimes().get(doc.runtime());
        Path folder;
        if (model != null) {
            folder = model;
        } else if (runtime.spec() instanceof RuntimeDocument.Embedded embedded) {
            folder = baseDir.resolve(embedded.model());
        } else {
            throw new IllegalArgumentException("profile '" + profile + "' runs on the " + runtime.spec().type()
                    + " runtime '" + doc.runtime() + "'; pass --model with the model folder to audit it");
        }
        List<VectorEntry> entries = doc.vectors().stream().map(SteeringProfileDocument.VectorEntry::toSteering).toList();
        return new Target("profile " + profile, folder, entries, baseDir);
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
