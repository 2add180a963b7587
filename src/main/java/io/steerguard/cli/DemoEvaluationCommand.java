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
import java.util.Set;

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
 * <pre>
 * offline:  DemoEvaluationCommand [--model models/demo-chat] [--seed 7] [--out docs/demo-model.md]
 *           [--harmful-limit 120] [--limit 60] [--attack-limit 40] [--coefficients 0,0.5,1,2,4,8]
 *           [--attacks all|none,prefix-injection,...] [--max-tokens 64] [--batch 8] [--context 256]
 *           [--json-vector FILE] [--compliance-vector FILE] [--layers 1,2] [--positions all|prompt|generated]
 *           [--max-externality 0.05] [--live-results FILE] [--device cpu]
 * live:     DemoEvaluationCommand --gateway http://host:port [--management http://host:9000] --api-key K --admin-key A
 *           [--profile json-format] [--requests 120] [--model-name demo-chat] [--live-max-tokens 48]
 *           [--model DIR --vector FILE --coefficient C [--layers 1,2] [--positions prompt]]  (offline pairs)
 *           [--live-out FILE.json] [--out REPORT.md]      (replaces the report's live section)
 *           [--wait-seconds 300] [--concurrency 4] [--window PT1H] [--seed 7]
 * </pre>
 * Vectors default to {@code MODEL/vectors/json-format.safetensors} and {@code strict-compliance.safetensors};
 * a default that does not exist is skipped and the report says so. Exit codes: 0 written; 1 model,
 * vector, gateway or I/O failure; 2 bad arguments.
 */
public final class DemoEvaluationCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private static final Set<String> VALUED = Set.of("model", "seed", "out", "harmful-limit", "limit", "attack-limit",
            "coefficients", "attacks", "max-tokens", "batch", "context", "json-vector", "compliance-vector",
            "max-externality", "live-results", "device", "gateway", "management", "api-key", "admin-key", "profile", "requests",
            "model-name", "live-max-tokens", "vector", "coefficient", "layers", "live-out", "wait-seconds", "concurrency", "window", "positions");

    /** {@code --layers 1,2} (default: every layer the vector file holds). */
    private static List<Integer> layers(CliOptions o, ModelSession session) {
        return o.has("layers") ? CliOptions.layers(o.get("layers"), session.numLayers(), "layers") : List.of();
    }

    /** {@code --positions all|prompt|generated} (default all), spelled as in a profile document. */
    private static SteeringPositions positions(CliOptions o) {
        return new SteeringPositions(SteeringPositions.Mode.fromConfigName(o.get("positions", "all")), 0);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions o;
        try {
            o = new CliOptions(args, VALUED, Set.of());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        try {
            return o.has("gateway") ? live(o, out, err) : offline(o, args, out, err);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return FAILURE;
        } catch (Exception e) {
            err.println("error: " + e);
            return FAILURE;
        }
    }

    private static int offline(CliOptions o, String[] args, PrintStream out, PrintStream err) throws Exception {
        Path model = Path.of(o.get("model", "models/demo-chat"));
        long seed = o.integer("seed", 7, 0);
        int harmfulCap = o.integer("harmful-limit", 120, 1);
        int otherCap = o.integer("limit", 60, 1);
        int attackCap = o.integer("attack-limit", 40, 0);
        int maxTokens = o.integer("max-tokens", 64, 1);
        int batch = o.integer("batch", 8, 1);
        double maxExternality = o.decimal("max-externality", 0.05);
        List<Double> coefficients = Arrays.stream(o.get("coefficients", "0,0.5,1,2,4,8").split(","))
                .map(String::strip).map(Double::parseDouble).sorted().distinct().toList();
        AttackTemplates templates = AttackTemplates.builtin();
        String attackSpec = o.get("attacks", "all");
        List<String> attacks = attackSpec.equals("all") ? templates.names()
                : Arrays.stream(attackSpec.split(",")).map(String::strip).toList();
        for (String a : attacks) {
            if (!templates.has(a)) {
                throw new IllegalArgumentException("--attacks: unknown template '" + a + "'; expected " + templates.names());
            }
        }
        LiveResult live = o.has("live-results") ? LiveResult.fromJson(Files.readString(Path.of(o.get("live-results"))))
                : null;
        CorpusPrompts corpus = new CorpusPrompts(seed);
        Map<String, List<EvalPrompt>> heldOut = corpus.heldOut(harmfulCap, otherCap);
        List<String> facts = new ArrayList<>(ModelFacts.read(model));
        try (ModelSession session = ModelSession.open(model, o.get("device", "cpu"), batch, o.integer("context", 256, 2));
             Judges judges = Judges.gatewayDefault()) {
            int context = Math.min(session.runtime.modelConfig().maxPositions(), o.integer("context", 256, 2));
            List<ProfilePlan> profiles = new ArrayList<>();
            List<Integer> layers = layers(o, session);
            SteeringPositions positions = positions(o);
            Path json = vector(o, "json-vector", model.resolve("vectors/json-format.safetensors"), facts, err);
            if (json != null) {
                profiles.add(new ProfilePlan("json-format", VectorSteering.load(json, session.runtime.modelConfig(), layers, positions),
                        List.of(new UtilitySet("valid JSON", "BENIGN", heldOut.get("BENIGN"), CorpusPrompts.VALID_JSON),
                                new UtilitySet("valid JSON", "JSON", heldOut.get("JSON"), null))));
            }
            Path compliance = vector(o, "compliance-vector", model.resolve("vectors/strict-compliance.safetensors"), facts, err);
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
            if (o.has("out")) {
                Path target = Path.of(o.get("out"));
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.writeString(target, md);
                err.println("wrote " + target);
            } else {
                out.print(md);
            }
        }
        return OK;
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
    private static Path vector(CliOptions o, String option, Path fallback, List<String> facts, PrintStream err) {
        if (o.has(option)) {
            Path p = Path.of(o.get(option));
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--" + option + ": no such file " + p);
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

    private static int live(CliOptions o, PrintStream out, PrintStream err) throws Exception {
        String profile = o.get("profile", "json-format");
        int requests = o.integer("requests", 120, 1);
        int maxTokens = o.integer("live-max-tokens", 48, 1);
        long seed = o.integer("seed", 7, 0);
        Map<String, List<EvalPrompt>> heldOut = new CorpusPrompts(seed).heldOut(Integer.MAX_VALUE, Integer.MAX_VALUE);
        List<EvalPrompt> prompts = LiveRun.mix(heldOut.get("HARMFUL"), heldOut.get("BENIGN"), requests);
        LiveGateway gateway = new LiveGateway(o.require("gateway"),
                o.get("management", LiveGateway.defaultManagementUrl(o.require("gateway"))), o.require("api-key"),
                o.require("admin-key"), o.get("model-name", "demo-chat"));
        double coefficient = o.decimal("coefficient", 1.0);
        WindowCounts offline = null;
        if (o.has("model") && o.has("vector")) {
            try (ModelSession session = ModelSession.open(Path.of(o.get("model")), o.get("device", "cpu"),
                    o.integer("batch", 8, 1), o.integer("context", 256, 2));
                 Judges judges = Judges.gatewayDefault()) {
                int context = Math.min(session.runtime.modelConfig().maxPositions(), o.integer("context", 256, 2));
                VectorSteering v = VectorSteering.load(Path.of(o.get("vector")), session.runtime.modelConfig(),
                        layers(o, session), positions(o));
                offline = LiveRun.offlinePairs(new Answerer(session.runtime, context, maxTokens, 16), judges, prompts,
                        v.at(coefficient));
            }
        }
        LiveResult result = LiveRun.run(gateway, profile, o.get("window", "PT1H"), prompts, maxTokens,
                o.integer("concurrency", 4, 1), Duration.ofSeconds(o.integer("wait-seconds", 300, 1)), offline,
                coefficient, err::println);
        if (o.has("live-out")) {
            Files.writeString(Path.of(o.get("live-out")), result.toJson());
        }
        String section = ReportRenderer.live(result);
        if (o.has("out")) {
            Path report = Path.of(o.get("out"));
            String existing = Files.isRegularFile(report) ? Files.readString(report) : "";
            Files.writeString(report, ReportRenderer.replaceLive(existing, result));
            err.println("updated the live section of " + report);
        }
        out.print(section);
        return OK;
    }

    private static String commandLine(String[] args) {
        StringBuilder s = new StringBuilder("java -cp target/classes:$(cat target/cp.txt) io.steerguard.cli.DemoEvaluationCommand");
        for (String a : args) {
            s.append(' ').append(a.matches("[A-Za-z0-9_./,:=+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }
}
