package io.steerguard.cli;

import io.steerguard.training.DemoModelBuilder;
import io.steerguard.training.TrainingPlan;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the demo chat model from scratch and writes it as a Hugging Face folder.
 *
 * <p>Without size options it trains {@link TrainingPlan#demo} (about 15 minutes on 2 CPU cores).
 * {@code --hidden} keeps the demo's head width of 32 (heads = hidden / 32, key-value heads = heads / 3
 * when that divides, else 1) and SwiGLU width 8/3 of hidden rounded to 32. {@code --card-only}
 * re-renders the model card (README.md) from training-log.json without training.
 */
@Command(name = "train-demo-model", description = "Train the demo chat model from scratch into a Hugging Face folder.")
public final class TrainDemoModelCommand extends ToolCommand {

    static final long DEFAULT_SEED = 7;

    @Option(names = "--out", defaultValue = "models/demo-chat", paramLabel = "DIR", description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path dir;
    @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: the demo plan's).")
    Integer steps;
    @Option(names = "--vocab", paramLabel = "N", description = "Vocabulary size, >= 300 (default: the demo plan's).")
    Integer vocab;
    @Option(names = "--hidden", paramLabel = "N", description = "Hidden size, a multiple of 32 (default: the demo plan's).")
    Integer hidden;
    @Option(names = "--layers", paramLabel = "N", description = "Decoder layers (default: the demo plan's).")
    Integer layers;
    @Option(names = "--card-only", description = "Only re-render README.md from training-log.json.")
    boolean cardOnly;

    @Override
    public Integer call() {
        PrintStream out = out();
        PrintStream err = err();
        TrainingPlan plan;
        try {
            plan = plan();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try {
            if (cardOnly) {
                DemoModelBuilder.writeCard(dir);
                out.println("wrote " + dir.resolve("README.md"));
                return Exit.OK;
            }
            DemoModelBuilder.build(dir, plan, err::println);
            out.println("wrote " + dir);
            return Exit.OK;
        } catch (IOException | RuntimeException e) {
            err.println("error: training failed: " + e);
            return Exit.FAILURE;
        }
    }

    TrainingPlan plan() {
        if (seed < 0) {
            throw new IllegalArgumentException("--seed must be an integer >= 0, got " + seed);
        }
        TrainingPlan demo = TrainingPlan.demo(seed);
        int h = hidden != null ? atLeast("--hidden", hidden, 32) : demo.hidden();
        if (h % 32 != 0) {
            throw new IllegalArgumentException("--hidden must be a multiple of 32, got " + h);
        }
        int heads = h / 32;
        int kvHeads = heads % 3 == 0 ? heads / 3 : 1;
        int intermediate = h == demo.hidden() ? demo.intermediate() : Math.max(32, h * 8 / 3 / 32 * 32);
        int s = steps != null ? atLeast("--steps", steps, 1) : demo.steps();
        int warmup = Math.min(demo.warmupSteps(), Math.max(0, s / 10));
        return new TrainingPlan(h, layers != null ? atLeast("--layers", layers, 1) : demo.layers(), heads, kvHeads,
                intermediate, vocab != null ? atLeast("--vocab", vocab, 300) : demo.vocabSize(), demo.context(),
                demo.rows(), s, warmup, demo.peakLr(), demo.minLr(), demo.weightDecay(), demo.clipNorm(), seed);
    }
}
