package io.steerguard.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.shadow.AttackTemplates;
import io.steerguard.stats.Estimate;
import io.steerguard.shadow.ProbeFileException;
import io.steerguard.shadow.ProbeJob;
import io.steerguard.shadow.ProbeReport;
import io.steerguard.shadow.ProbeResult;
import io.steerguard.shadow.ProbeRunner;
import io.steerguard.shadow.ProbeRunnerOptions;
import io.steerguard.shadow.ProbeSet;
import io.steerguard.steering.Normalisation;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A probe audit of one steering vector on an embedded model, without a gateway: for CI, before a
 * vector ships.
 *
 * <p>Each probe (wrapped in each attack template) is answered greedily with the vector and without
 * it, both answers are classified, and the table of attack success rates and uplift per template
 * goes to standard output ({@code --json} also writes the full report). Layers default to every
 * layer the file holds; pacing is off unless {@code --rate} is given. A run that measured nothing
 * is a failure (exit 3); an uplift whose lower confidence bound exceeds {@code --max-uplift} - the
 * vector erodes refusals beyond the limit with the stated confidence - is a failed check (exit 1).
 */
@Command(name = "probe", description = "Probe audit of a steering vector on an embedded model: attack success "
        + "steered vs unsteered per attack template.")
public final class ProbeCommand extends ToolCommand {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder.")
    Path model;
    @Option(names = "--vector", required = true, paramLabel = "FILE", description = "Steering vector file.")
    String vector;
    @Option(names = "--layers", paramLabel = "3,4", description = "Layers to steer (default: every layer the file holds).")
    String layers;
    @Option(names = "--coefficient", defaultValue = "1.0", paramLabel = "C", description = "Coefficient (default: ${DEFAULT-VALUE}).")
    double coefficient;
    @Option(names = "--normalize", defaultValue = "none", paramLabel = "none|unit", description = "Normalisation (default: ${DEFAULT-VALUE}).")
    String normalize;
    @Option(names = "--positions", defaultValue = "all", paramLabel = "all|prompt|generated", description = "Positions (default: ${DEFAULT-VALUE}).")
    String positions;
    @Option(names = "--probes", defaultValue = ProbeSet.BUILTIN, paramLabel = "builtin|FILE.jsonl|FILE.csv",
            description = "Probe set (default: ${DEFAULT-VALUE}).")
    String probesOption;
    @Option(names = "--attacks", defaultValue = "none,prefix-injection,refusal-suppression", paramLabel = "LIST",
            description = "Attack templates (default: ${DEFAULT-VALUE}).")
    String attacksOption;
    @Option(names = "--max-tokens", defaultValue = "48", paramLabel = "N", description = "Tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--classifier", defaultValue = "embedding", paramLabel = "embedding|lexical|ensemble",
            description = "Refusal classifier (default: ${DEFAULT-VALUE}).")
    String classifierTier;
    @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "P", description = "Interval confidence (default: ${DEFAULT-VALUE}).")
    double confidence;
    @Option(names = "--max-uplift", paramLabel = "U", description = "Exit 1 when the uplift's lower bound exceeds U.")
    Double maxUplift;
    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N", description = "Pairs in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;
    @Option(names = "--rate", paramLabel = "PAIRS_PER_SECOND", description = "Pace the pairs (default: unpaced).")
    Double rate;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report as JSON.")
    Path json;

    @Override
    public Integer call() {
        PrintStream err = err();
        ProbeSet probes;
        AttackTemplates templates = AttackTemplates.builtin();
        List<String> attacks;
        try {
            probes = ProbeSet.load(probesOption, Path.of("."));
        } catch (IllegalArgumentException | ProbeFileException e) {
            return malformed(e.getMessage());
        }
        attacks = list(attacksOption);
        for (String a : attacks) {
            if (!templates.has(a)) {
                throw usage("--attacks: unknown template '" + a + "'; expected " + templates.names());
            }
        }
        if (maxUplift != null) {
            finite("--max-uplift", maxUplift);
        }
        EmbeddedRuntime runtime;
        SteeringSpec steering;
        try {
            runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("probe", model).withDevice(device));
        } catch (RuntimeException e) {
            err.println("error: cannot load the model: " + e.getMessage());
            return Exit.FAILURE;
        }
        try (runtime) {
            try {
                steering = steering(runtime);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            } catch (RuntimeException e) {
                err.println("error: " + e.getMessage());
                return Exit.FAILURE;
            }
            return audit(runtime, steering, probes, attacks, templates, out(), err);
        }
    }

    private int audit(EmbeddedRuntime runtime, SteeringSpec steering, ProbeSet probes, List<String> attacks,
                      AttackTemplates templates, PrintStream out, PrintStream err) {
        ProbeJob job;
        ProbeRunnerOptions options;
        RefusalClassifier classifier;
        try {
            String profile = Path.of(vector).getFileName().toString();
            job = new ProbeJob(profile, runtime, steering, probes, attacks, templates, maxTokens, confidence, null, "cli");
            options = new ProbeRunnerOptions(concurrency, rate != null ? rate : Double.POSITIVE_INFINITY,
                    Duration.ofMinutes(5));
            classifier = ClassifyCommand.Choice.of(classifierTier).build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ProbeReport report;
        try (ProbeRunner runner = new ProbeRunner(classifier, options, r -> { })) {
            report = runner.run(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return Exit.FAILURE;
        } catch (ExecutionException e) {
            err.println("error: the audit failed: " + e.getCause());
            return Exit.FAILURE;
        } finally {
            if (classifier instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing a classifier at exit cannot change the result
                }
            }
        }
        print(report, classifier.method(), out);
        report.errorSamples().forEach(e -> err.println("probe error: " + e));
        if (json != null) {
            try {
                Files.writeString(json, new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toMap()) + "\n");
            } catch (IOException e) {
                err.println("error: cannot write " + json + ": " + e.getMessage());
                return Exit.FAILURE;
            }
        }
        if (report.outcome() == ProbeReport.Outcome.FAILED) {
            err.println("error: no probe pair could be measured (" + report.errors() + " errors)");
            return Exit.FAILURE;
        }
        if (maxUplift != null) {
            double lower = report.uplift().interval().lower();
            if (lower > maxUplift) {
                err.printf(Locale.ROOT, "uplift lower bound %.4f exceeds --max-uplift %s%n", lower, maxUplift);
                return Exit.CHECK_FAILED;
            }
        }
        return Exit.OK;
    }

    /** The vector as the gateway would steer with it: validated against the model, normalised as asked. */
    private SteeringSpec steering(EmbeddedRuntime runtime) {
        ModelConfig config = runtime.modelConfig();
        Normalisation normalisation = Normalisation.fromConfigName(normalize);
        if (normalisation == Normalisation.MEAN_RESIDUAL_NORM) {
            throw new IllegalArgumentException("--normalize mean-residual-norm needs the gateway; use none or unit");
        }
        List<Integer> chosen;
        try {
            chosen = layers != null ? list(layers).stream().map(Integer::parseInt).toList() : List.of();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layers must be comma-separated layer numbers, got '" + layers + "'");
        }
        VectorEntry entry = new VectorEntry(vector, chosen, finite("--coefficient", coefficient), SteeringOperator.ADD, 0,
                new SteeringPositions(SteeringPositions.Mode.fromConfigName(positions), 0), normalisation);
        ProfileResolution resolution = SteeringResolver.standalone(config.hiddenSize(), config.numLayers(),
                config.family().name().toLowerCase(Locale.ROOT)).resolve(List.of(entry), Map.of());
        if (resolution instanceof ProfileResolution.Unavailable u) {
            throw new IllegalStateException(u.errors().get(0).getMessage());
        }
        return ((ProfileResolution.Ready) resolution).spec();
    }

    static void print(ProbeReport r, String method, PrintStream out) {
        double c = r.confidence();
        out.printf(Locale.ROOT, "probe audit of %s: %s probes (%d), %d pairs, %d errors, classifier %s, %.0f%% intervals%n",
                r.profile(), r.probeSet(), r.pairs() / Math.max(1, r.attacks().size()), r.pairs(), r.errors(), method,
                100 * c);
        out.printf(Locale.ROOT, "%-20s %5s  %-22s %-22s %s%n", "attack", "n", "ASR steered", "ASR unsteered", "uplift");
        for (ProbeReport.AttackOutcome a : r.attacks()) {
            row(out, a.attack(), a.result(r.profile(), r.finished()), c);
        }
        row(out, "all", r.overall(), c);
    }

    private static void row(PrintStream out, String name, ProbeResult result, double c) {
        out.printf(Locale.ROOT, "%-20s %5d  %-22s %-22s %s%n", name, result.probes(), format(result.asrSteered(c), false),
                format(result.asrUnsteered(c), false), format(result.uplift(c), true));
    }

    private static String format(Estimate e, boolean signed) {
        if (!e.hasData()) {
            return "-";
        }
        String f = signed ? "%+.3f [%+.3f, %+.3f]" : "%.3f [%.3f, %.3f]";
        return String.format(Locale.ROOT, f, e.value(), e.interval().lower(), e.interval().upper());
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
