package io.steerguard.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

/**
 * A probe audit of one steering vector on an embedded model, without a gateway: for CI, before a
 * vector ships.
 *
 * <pre>
 * java io.steerguard.cli.ProbeCommand --model DIR --vector FILE [--layers 3,4] [--coefficient 4.0]
 *      [--normalize none|unit] [--positions all|prompt|generated] [--probes builtin|FILE.jsonl|FILE.csv]
 *      [--attacks none,prefix-injection,refusal-suppression] [--max-tokens 48]
 *      [--classifier embedding|lexical|ensemble] [--confidence 0.95] [--max-uplift 0.10]
 *      [--concurrency 4] [--rate PAIRS_PER_SECOND] [--device auto|cpu|cuda:N] [--json FILE]
 * </pre>
 * Each probe (wrapped in each attack template) is answered greedily with the vector and without
 * it, both answers are classified, and the table of attack success rates and uplift per template
 * goes to standard output ({@code --json} also writes the full report). Layers default to every
 * layer the file holds; pacing is off unless {@code --rate} is given.
 *
 * <p>Exit codes: 0 audited (and within {@code --max-uplift}); 1 model, vector or audit failure
 * (including an audit that measured nothing); 2 bad arguments or probe file; 3 the uplift's lower
 * confidence bound exceeds {@code --max-uplift}, i.e. the vector erodes refusals beyond the limit
 * with the stated confidence.
 */
public final class ProbeCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int UPLIFT_EXCEEDED = 3;

    private static final List<String> KEYS = List.of("model", "vector", "layers", "coefficient", "normalize", "positions",
            "probes", "attacks", "max-tokens", "classifier", "confidence", "max-uplift", "concurrency", "rate",
            "device", "json");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts;
        ProbeSet probes;
        AttackTemplates templates = AttackTemplates.builtin();
        List<String> attacks;
        try {
            opts = parse(args);
            for (String required : List.of("model", "vector")) {
                if (!opts.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            probes = ProbeSet.load(opts.getOrDefault("probes", ProbeSet.BUILTIN), Path.of("."));
            attacks = list(opts.getOrDefault("attacks", "none,prefix-injection,refusal-suppression"));
            for (String a : attacks) {
                if (!templates.has(a)) {
                    throw new IllegalArgumentException("--attacks: unknown template '" + a + "'; expected "
                            + templates.names());
                }
            }
            if (opts.containsKey("max-uplift")) {
                Double.parseDouble(opts.get("max-uplift"));
            }
        } catch (IllegalArgumentException | ProbeFileException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        EmbeddedRuntime runtime;
        SteeringSpec steering;
        try {
            runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("probe", Path.of(opts.get("model")))
                    .withDevice(opts.getOrDefault("device", "auto")));
        } catch (RuntimeException e) {
            err.println("error: cannot load the model: " + e.getMessage());
            return FAILURE;
        }
        try (runtime) {
            try {
                steering = steering(runtime, opts);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return USAGE;
            } catch (RuntimeException e) {
                err.println("error: " + e.getMessage());
                return FAILURE;
            }
            return audit(opts, runtime, steering, probes, attacks, templates, out, err);
        }
    }

    private static int audit(Map<String, String> opts, EmbeddedRuntime runtime, SteeringSpec steering, ProbeSet probes,
                             List<String> attacks, AttackTemplates templates, PrintStream out, PrintStream err) {
        ProbeJob job;
        ProbeRunnerOptions options;
        RefusalClassifier classifier;
        try {
            String profile = Path.of(opts.get("vector")).getFileName().toString();
            job = new ProbeJob(profile, runtime, steering, probes, attacks, templates,
                    Integer.parseInt(opts.getOrDefault("max-tokens", "48")),
                    Double.parseDouble(opts.getOrDefault("confidence", "0.95")), null, "cli");
            options = new ProbeRunnerOptions(Integer.parseInt(opts.getOrDefault("concurrency", "4")),
                    opts.containsKey("rate") ? Double.parseDouble(opts.get("rate")) : Double.POSITIVE_INFINITY,
                    Duration.ofMinutes(5));
            classifier = ClassifyCommand.build(Map.of("tier", opts.getOrDefault("classifier", "embedding")));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        ProbeReport report;
        try (ProbeRunner runner = new ProbeRunner(classifier, options, r -> { })) {
            report = runner.run(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return FAILURE;
        } catch (ExecutionException e) {
            err.println("error: the audit failed: " + e.getCause());
            return FAILURE;
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
        if (opts.containsKey("json")) {
            try {
                Files.writeString(Path.of(opts.get("json")), new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toMap()) + "\n");
            } catch (IOException e) {
                err.println("error: cannot write " + opts.get("json") + ": " + e.getMessage());
                return FAILURE;
            }
        }
        if (report.outcome() == ProbeReport.Outcome.FAILED) {
            err.println("error: no probe pair could be measured (" + report.errors() + " errors)");
            return FAILURE;
        }
        if (opts.containsKey("max-uplift")) {
            double max = Double.parseDouble(opts.get("max-uplift"));
            double lower = report.uplift().interval().lower();
            if (lower > max) {
                err.printf(Locale.ROOT, "uplift lower bound %.4f exceeds --max-uplift %s%n", lower, opts.get("max-uplift"));
                return UPLIFT_EXCEEDED;
            }
        }
        return OK;
    }

    /** The vector as the gateway would steer with it: validated against the model, normalised as asked. */
    private static SteeringSpec steering(EmbeddedRuntime runtime, Map<String, String> opts) {
        ModelConfig model = runtime.modelConfig();
        Normalisation normalize = Normalisation.fromConfigName(opts.getOrDefault("normalize", "none"));
        if (normalize == Normalisation.MEAN_RESIDUAL_NORM) {
            throw new IllegalArgumentException("--normalize mean-residual-norm needs the gateway; use none or unit");
        }
        List<Integer> layers = opts.containsKey("layers")
                ? list(opts.get("layers")).stream().map(Integer::parseInt).toList() : List.of();
        VectorEntry entry = new VectorEntry(opts.get("vector"), layers,
                Double.parseDouble(opts.getOrDefault("coefficient", "1.0")), SteeringOperator.ADD, 0,
                new SteeringPositions(SteeringPositions.Mode.fromConfigName(opts.getOrDefault("positions", "all")), 0),
                normalize);
        ProfileResolution resolution = SteeringResolver.standalone(model.hiddenSize(), model.numLayers(),
                model.family().name().toLowerCase(Locale.ROOT)).resolve(List.of(entry), Map.of());
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

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !KEYS.contains(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]);
            }
            opts.put(key, args[++i]);
        }
        return opts;
    }
}
