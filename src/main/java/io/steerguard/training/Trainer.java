package io.steerguard.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The optimisation loop: draw a packed batch, forward, backward, AdamW step, report. Every
 * NDArray a step creates lives in that step's sub-manager, so memory stays flat over thousands of
 * steps. Runs on the caller's thread (training is a command, not a service).
 */
final class Trainer {

    /** What one step did; {@code tokensPerSecond} counts every packed position, padding excluded. */
    record StepReport(int step, int steps, double loss, double learningRate, double gradientNorm,
                      double tokensPerSecond, double elapsedSeconds) {
    }

    private Trainer() {
    }

    /** Trains {@code model} for {@code plan.steps()} steps; returns the loss of every step. */
    static List<Double> train(TrainableLlama model, BatchPacker packer, TrainingPlan plan, NDManager root,
                              Consumer<StepReport> progress) {
        AdamW optimizer = new AdamW(model.parameters(), plan.weightDecay(), plan.clipNorm());
        List<Double> losses = new ArrayList<>(plan.steps());
        long start = System.nanoTime();
        long tokens = 0;
        for (int step = 0; step < plan.steps(); step++) {
            PackedBatch batch = packer.next();
            double lr = plan.learningRate(step);
            double loss;
            double norm;
            try (NDManager scratch = root.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray lossArray = model.loss(batch, scratch);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
                norm = optimizer.step(lr, scratch);
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged at step " + step + ": loss " + loss);
            }
            losses.add(loss);
            tokens += countTokens(batch);
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.accept(new StepReport(step, plan.steps(), loss, lr, norm, tokens / elapsed, elapsed));
        }
        return losses;
    }

    private static long countTokens(PackedBatch batch) {
        long n = 0;
        for (int i = 0; i < batch.positions().length; i++) {
            // padding sits at position 0 with no weight and no following token of its own example
            if (batch.positions()[i] > 0 || batch.targets()[i] != 0) {
                n++;
            }
        }
        return n;
    }
}
