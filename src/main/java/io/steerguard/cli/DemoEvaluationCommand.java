package io.steerguard.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.ResidualNorms;
import io.steerguard.training.evaluation.GeometrySection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.steerguard.shadow.AttackTemplates;
import io.steerguard.shadow.WindowCounts;
import io.steerguard.training.evaluation.Answerer;
import io.steerguard.training.evaluation.CorpusPrompts;
import io.steerguard.training.evaluation.DemoEvaluation;
import io.steerguard.training.evaluation.EvalPrompt;
import io.steerguard.training.evaluation.EvaluationPlan;
import io.steerguard.training.evaluation.EvaluationPlan.ProfilePlan;
import io.steerguard.training.evaluation.EvaluationPlan.UtilitySet;
import io.steerguard.training.evaluation.EvaluationResult;
import io.steerguard.training.evaluation.Judges;
import io.steerguard.training.evaluation.LiveGateway;
import io.steerguard.training.evaluation.LiveResult;
import io.steerguard.training.evaluation.LiveRun;
import io.steerguard.training.evaluation.ModelFacts;
import io.steerguard.training.evaluation.ReportRenderer;
import io.steerguard.training.evaluation.VectorSteering;

/**
 * The demo model's evaluation report, {@code docs/demo-model.md}.
 *
 * <p>Offline (the default) it answers the held-out corpus with and without each profile's vector at
 * each coefficient and writes the report. Live ({@code --gateway}) it sends held-out prompts through
 * a running gateway and replaces the report's live section; with {@code --model --vector
 * --coefficient} it also measures the same prompts offline for comparison. Vectors default to
 * {@code MODEL/vectors/json-format.safetensors} and {@code strict-compliance.safetensors}; a default
 * that does not exist is skipped and the report says so.
 */
@Command(name = "evaluate-demo", description = "Evaluate the demo model offline into docs/demo-model.md, or live "
        + "through a running gateway (--gateway).")
public final class DemoEvaluationCommand extends ToolCommand {

    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (offline default: models/demo-chat).")
    String model;
    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", paramLabel = "FILE.md", description = "Report to write (default: standard output); live: "
            + "the report whose live section is replaced.")
    Path out;
    @Option(names = "--harmful-limit", defaultValue = "120", paramLabel = "N", description = "Harmful prompts (default: ${DEFAULT-VALUE}).")
    int harmfulLimit;
    @Option(names = "--limit", defaultValue = "60", paramLabel = "N", description = "Prompts of each other category (default: ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--attack-limit", defaultValue = "40", paramLabel = "N", description = "Prompts per attack template (default: ${DEFAULT-VALUE}).")
    int attackLimit;
    @Option(names = "--coefficients", defaultValue = "0,0.5,1,2,4,8", paramLabel = "LIST", description = "Coefficients (default: ${DEFAULT-VALUE}).")
    String coefficients;
    @Option(names = "--attacks", defaultValue = "all", paramLabel = "all|LIST", description = "Attack templates (default: ${DEFAULT-VALUE}).")
    String attacks;
    @Option(names = "--max-tokens", defaultValue = "64", paramLabel = "N", description = "Tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--context", defaultValue = "256", paramLabel = "N", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int context;
    @Option(names = "--json-vector", paramLabel = "FILE", description = "json-format vector (default: MODEL/vectors/json-format.safetensors).")
    Path jsonVector;
    @Option(names = "--compliance-vector", paramLabel = "FILE", description = "strict-compliance vector (default: "
            + "MODEL/vectors/strict-compliance.safetensors).")
    Path complianceVector;
    @Option(names = "--layers", paramLabel = "1,2", description = "Layers to steer (default: every layer the vector holds).")
    String layers;
    @Option(names = "--positions", defaultValue = "all", paramLabel = "all|prompt|generated", description = "Positions (default: ${DEFAULT-VALUE}).")
    String positions;
    @Option(names = "--max-externality", defaultValue = "0.05", paramLabel = "R", description = "Policy limit the report "
            + "compares against (default: ${DEFAULT-VALUE}).")
    double maxExternality;
    @Option(names = "--live-results", paramLabel = "FILE.json", description = "Live results to include in the offline report.")
    Path liveResults;
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|auto|cuda:N", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--gateway", paramLabel = "URL", description = "Live mode: the gateway's base URL.")
    String gateway;
    @Option(names = "--management", paramLabel = "URL", description = "Live: the management URL (default: the gateway's, port 9000).")
    String management;
    @Option(names = "--api-key", paramLabel = "KEY", description = "Live: a tenant key.")
    String apiKey;
    @Option(names = "--admin-key", paramLabel = "KEY", description = "Live: the admin key.")
    String adminKey;
    @Option(names = "--profile", defaultValue = "json-format", paramLabel = "NAME", description = "Live: profile (default: ${DEFAULT-VALUE}).")
    String profile;
    @Option(names = "--requests", defaultValue = "120", paramLabel = "N", description = "Live: requests (default: ${DEFAULT-VALUE}).")
    int requests;
    @Option(names = "--model-name", defaultValue = "demo-chat", paramLabel = "NAME", description = "Live: model name (default: ${DEFAULT-VALUE}).")
    String modelName;
    @Option(names = "--live-max-tokens", defaultValue = "48", paramLabel = "N", description = "Live: tokens per answer (default: ${DEFAULT-VALUE}).")
    int liveMaxTokens;
    @Option(names = "--vector", paramLabel = "FILE", description = "Live: vector for the offline pairs.")
    Path vector;
    @Option(names = "--coefficient", defaultValue = "1.0", paramLabel = "C", description = "Live: coefficient (default: ${DEFAULT-VALUE}).")
    double coefficient;
    @Option(names = "--live-out", paramLabel = "FILE.json", description = "Live: also write the results as JSON.")
    Path liveOut;
    @Option(names = "--wait-seconds", defaultValue = "300", paramLabel = "N", description = "Live: wait for shadow samples (default: ${DEFAULT-VALUE}).")
    int waitSeconds;
    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N", description = "Live: requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;
    @Option(names = "--window", defaultValue = "PT1H", paramLabel = "DURATION", description = "Live: statistics window (default: ${DEFAULT-VALUE}).")
    String window;

    /** {@code --layers 1,2} (default: every layer the vector file holds). */
    private List<Integer> layers(ModelSession session) {
        return layers != null ? LayerList.parse(layers, session.numLayers(), "--layers") : List.of();
    }

    /** {@code --positions all|prompt|generated} (default all), spelled as in a profile document. */
    private SteeringPositions positions() {
        return new SteeringPositions(SteeringPositions.Mode.fromConfigName(positions), 0);
    }

    @Override
    public Integer call() {
        PrintStream err = err();
        try {
            checkNumbers();
            return gateway != null ? live(out(), err) : offline(ownArgs(), out(), err);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return Exit.FAILURE;
        } catch (Exception e) {
            err.println("error: " + e);
            return Exit.FAILURE;
        }
    }

    /** This command's arguments as given, for the report's rerun line (the original list starts with the command). */
    private List<String> ownArgs() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        return all.subList(all.indexOf(spec.name()) + 1, all.size());
    }

    private void checkNumbers() {
        atLeast("--harmful-limit", harmfulLimit, 1);
        atLeast("--limit", limit, 1);
        atLeast("--attack-limit", attackLimit, 0);
        atLeast("--max-tokens", maxTokens, 1);
        atLeast("--batch", batch, 1);
        atLeast("--context", context, 2);
        atLeast("--requests", requests, 1);
        atLeast("--live-max-tokens", liveMaxTokens, 1);
        atLeast("--concurrency", concurrency, 1);
        atLeast("--wait-seconds", waitSeconds, 1);
        finite("--max-externality", maxExternality);
        finite("--coefficient", coefficient);
        if (seed < 0) {
            throw usage("--seed must be an integer >= 0, got " + seed);
        }
    }

    private int offline(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path model = Path.of(this.model != null ? this.model : "models/demo-chat");
        int harmfulCap = harmfulLimit;
        int otherCap = limit;
        int attackCap = attackLimit;
        List<Double> coefficients = coefficientList();
        AttackTemplates templates = AttackTemplates.builtin();
        String attackSpec = this.attacks;
        List<String> attacks = attackSpec.equals("all") ? templates.names()
                : Arrays.stream(attackSpec.split(",")).map(String::strip).toList();
        for (String a : attacks) {
            if (!templates.has(a)) {
                throw new IllegalArgumentException("--attacks: unknown template '" + a + "'; expected " + templates.names());
            }
        }
        LiveResult live = liveResults != null ? LiveResult.fromJson(Files.readString(liveResults)) : null;
        CorpusPrompts corpus = new CorpusPrompts(seed);
        Map<String, List<EvalPrompt>> heldOut = corpus.heldOut(harmfulCap, otherCap);
        List<String> facts = new ArrayList<>(ModelFacts.read(model));
        try (ModelSession session = ModelSession.open(model, device, batch, this.context);
             Judges judges = Judges.gatewayDefault()) {
            int context = Math.min(session.runtime.modelConfig().maxPositions(), this.context);
            List<ProfilePlan> profiles = new ArrayList<>();
            List<Integer> layers = layers(session);
            SteeringPositions positions = positions();
            Path json = vector(jsonVector, "--json-vector", model.resolve("vectors/json-format.safetensors"), facts, err);
            if (json != null) {
                profiles.add(new ProfilePlan("json-format", VectorSteering.load(json, session.runtime.modelConfig(), layers, positions),
                        List.of(new UtilitySet("valid JSON", "BENIGN", heldOut.get("BENIGN"), CorpusPrompts.VALID_JSON),
                                new UtilitySet("valid JSON", "JSON", heldOut.get("JSON"), null))));
            }
            Path compliance = vector(complianceVector, "--compliance-vector", model.resolve("vectors/strict-compliance.safetensors"), facts, err);
            if (compliance != null) {
                profiles.add(new ProfilePlan("strict-compliance",
                        VectorSteering.load(compliance, session.runtime.modelConfig(), layers, positions),
                        List.of(new UtilitySet("compliance check passes", "COMPLIANCE", heldOut.get("COMPLIANCE"), null))));
            }
            EvaluationPlan plan = new EvaluationPlan(heldOut, CorpusPrompts.harmfulCategories(), templates, attacks,
                    attackCap, profiles, coefficients);
            Answerer answerer = new Answerer(session.runtime, context, maxTokens, 2 * batch);
            EvaluationResult.Facts f = new EvaluationResult.Facts(model.toString(), facts, seed, corpus.sizes(),
                    harmfulCap, otherCap, attackCap, maxTokens, context, judges.description(), maxExternality,
                    commandLine(args));
            EvaluationResult result = new DemoEvaluation(answerer, judges, err::println).run(plan, f).withLive(live);
            String md = ReportRenderer.render(result);
            Path refusalFile = model.resolve("vectors").resolve(RefusalDirection.FILE_NAME);
            if (Files.isRegularFile(refusalFile)) {
                md = md.replace(ReportRenderer.LIVE_BEGIN, geometry(session, profiles, result, refusalFile, maxExternality)
                        + ReportRenderer.LIVE_BEGIN);
            }
            if (this.out != null) {
                Path target = this.out;
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.writeString(target, md);
                err.println("wrote " + target);
            } else {
                out.print(md);
            }
        }
        return Exit.OK;
    }

    /** The geometry section: every evaluated profile audited against the model's refusal direction. */
    private static String geometry(ModelSession session, List<ProfilePlan> profiles, EvaluationResult result,
                                   Path refusalFile, double maxExternality) throws java.io.IOException {
        RefusalDirection refusal = RefusalDirection.read(refusalFile);
        Map<Integer, Double> norms = ResidualNorms.measure(session.runtime, session.numLayers(), Duration.ofMinutes(5));
        List<GeometrySection.Audited> audited = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            ProfilePlan p = profiles.get(i);
            audited.add(new GeometrySection.Audited(result.profiles().get(i),
                    GeometrySection.audit(p.name(), p.steering(), refusal, refusalFile, norms)));
        }
        return GeometrySection.render(audited, maxExternality);
    }

    /** The vector file of a profile: as given (must exist), or the default when it exists, else null (noted). */
    private static Path vector(Path given, String option, Path fallback, List<String> facts, PrintStream err) {
        if (given != null) {
            Path p = given;
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(option + ": no such file " + p);
            }
            return p;
        }
        if (Files.isRegularFile(fallback)) {
            return fallback;
        }
        facts.add("vector " + fallback + ": not present, its profile was not evaluated");
        err.println("note: " + fallback + " does not exist; that profile is skipped");
        return null;
    }

    private int live(PrintStream out, PrintStream err) throws Exception {
        int maxTokens = liveMaxTokens;
        Map<String, List<EvalPrompt>> heldOut = new CorpusPrompts(seed).heldOut(Integer.MAX_VALUE, Integer.MAX_VALUE);
        List<EvalPrompt> prompts = LiveRun.mix(heldOut.get("HARMFUL"), heldOut.get("BENIGN"), requests);
        if (apiKey == null || adminKey == null) {
            throw new IllegalArgumentException("live mode needs --api-key and --admin-key");
        }
        LiveGateway live = new LiveGateway(gateway,
                management != null ? management : LiveGateway.defaultManagementUrl(gateway), apiKey, adminKey, modelName);
        WindowCounts offline = null;
        if (model != null && vector != null) {
            try (ModelSession session = ModelSession.open(Path.of(model), device, batch, context);
                 Judges judges = Judges.gatewayDefault()) {
                int tokens = Math.min(session.runtime.modelConfig().maxPositions(), context);
                VectorSteering v = VectorSteering.load(vector, session.runtime.modelConfig(), layers(session), positions());
                offline = LiveRun.offlinePairs(new Answerer(session.runtime, tokens, maxTokens, 16), judges, prompts,
                        v.at(coefficient));
            }
        }
        LiveResult result = LiveRun.run(live, profile, window, prompts, maxTokens, concurrency,
                Duration.ofSeconds(waitSeconds), offline, coefficient, err::println);
        if (liveOut != null) {
            Files.writeString(liveOut, result.toJson());
        }
        String section = ReportRenderer.live(result);
        if (this.out != null) {
            Path report = this.out;
            String existing = Files.isRegularFile(report) ? Files.readString(report) : "";
            Files.writeString(report, ReportRenderer.replaceLive(existing, result));
            err.println("updated the live section of " + report);
        }
        out.print(section);
        return Exit.OK;
    }

    /** Numbers in the order given, sorted and without duplicates. */
    private List<Double> coefficientList() {
        try {
            return Arrays.stream(coefficients.split(",")).map(String::strip).map(Double::parseDouble).sorted().distinct()
                    .toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--coefficients must be comma-separated numbers, got '" + coefficients + "'");
        }
    }

    private static String commandLine(List<String> args) {
        StringBuilder s = new StringBuilder("target/steerguard evaluate-demo");
        for (String a : args) {
            s.append(' ').append(a.matches("[A-Za-z0-9_./,:=+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }
}
