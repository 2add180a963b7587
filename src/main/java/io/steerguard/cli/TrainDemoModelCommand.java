package io.steerguard.cli;

import io.steerguard.training.DemoModelBuilder;
import io.steerguard.training.TrainingPlan;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Trains the demo chat model from scratch and writes it as a Hugging Face folder.
 *
 * <pre>
 * train-demo-model [--out models/demo-chat] [--seed 7] [--steps N] [--vocab N] [--hidden N] [--layers N]
 * train-demo-model --card-only [--out models/demo-chat]     (re-render README.md from training-log.json)
 * </pre>
 * Without size options it trains {@link TrainingPlan#demo} (about 15 minutes on 2 CPU cores).
 * {@code --hidden} keeps the demo's head width of 32 (heads = hidden / 32, key-value heads = heads / 3
 * when that divides, else 1) and SwiGLU width 8/3 of hidden rounded to 32.
 *
 * <p>Exit codes: 0 written; 1 training or I/O failure; 2 bad arguments.
 */
public final class TrainDemoModelCommand {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final String USAGE_TEXT = """
            usage: train-demo-model [--out models/demo-chat] [--seed 7] [--steps N] [--vocab N] [--hidden N] [--layers N]
                   train-demo-model --card-only [--out models/demo-chat]
            """;
    static final long DEFAULT_SEED = 7;
    private static final Set<String> VALUED = Set.of("out", "seed", "steps", "vocab", "hidden", "layers");

    private TrainDemoModelCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir;
        TrainingPlan plan;
        boolean cardOnly;
        try {
            CliOptions opts = new CliOptions(args, VALUED, Set.of("card-only"));
            dir = Path.of(opts.get("out", "models/demo-chat"));
            plan = plan(opts);
            cardOnly = opts.has("card-only");
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            if (cardOnly) {
                DemoModelBuilder.writeCard(dir);
                out.println("wrote " + dir.resolve("README.md"));
                return OK;
            }
            DemoModelBuilder.build(dir, plan, err::println);
            out.println("wrote " + dir);
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("error: training failed: " + e);
            return FAILURE;
        }
    }

    static TrainingPlan plan(CliOptions opts) {
        long seed = opts.integer("seed", (int) DEFAULT_SEED, 0);
        TrainingPlan demo = TrainingPlan.demo(seed);
        int hidden = opts.integer("hidden", demo.hidden(), 32);
        if (hidden % 32 != 0) {
            throw new IllegalArgumentException("--hidden must be a multiple of 32, got " + hidden);
        }
        int heads = hidden / 32;
        int kvHeads = heads % 3 == 0 ? heads / 3 : 1;
        int intermediate = hidden == demo.hidden() ? demo.intermediate() : Math.max(32, hidden * 8 / 3 / 32 * 32);
        int steps = opts.integer("steps", demo.steps(), 1);
        int warmup = Math.min(demo.warmupSteps(), Math.max(0, steps / 10));
        return new TrainingPlan(hidden, opts.integer("layers", demo.layers(), 1), heads, kvHeads, intermediate,
                opts.integer("vocab", demo.vocabSize(), 300), demo.context(), demo.rows(), steps, warmup,
                demo.peakLr(), demo.minLr(), demo.weightDecay(), demo.clipNorm(), seed);
    }
}
