package io.steerguard.training;

import io.steerguard.runtime.embedded.ModelConfig;

/**
 * Everything that determines a training run besides the corpus: same plan and seed, same weights.
 *
 * @param hidden        residual width
 * @param layers        decoder layers
 * @param heads         query heads (head width = hidden / heads)
 * @param kvHeads       key/value heads (grouped-query attention when fewer than heads)
 * @param intermediate  SwiGLU hidden width
 * @param vocabSize     tokenizer vocabulary, special tokens included
 * @param context       max_position_embeddings, also the packed row length
 * @param rows          packed rows per step
 * @param steps         optimizer steps
 * @param warmupSteps   steps of linear learning-rate warm-up
 * @param peakLr        learning rate after warm-up, decayed by a cosine to {@code minLr}
 * @param minLr         learning rate at the last step
 * @param weightDecay   AdamW decoupled weight decay on matrices
 * @param clipNorm      global gradient-norm clip
 * @param seed          seeds the corpus, the initial weights and the batch order
 */
public record TrainingPlan(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocabSize,
                           int context, int rows, int steps, int warmupSteps, double peakLr, double minLr,
                           double weightDecay, double clipNorm, long seed) {

    public TrainingPlan {
        if (hidden < 8 || layers < 1 || heads < 1 || kvHeads < 1 || intermediate < 1 || rows < 1 || steps < 1) {
            throw new IllegalArgumentException("hidden >= 8, layers, heads, kvHeads, intermediate, rows and steps >= 1");
        }
        if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("heads must divide hidden into even head widths, kvHeads must divide heads");
        }
        if (vocabSize < 257) {
            throw new IllegalArgumentException("vocabSize must be >= 257 (256 bytes and at least one special token), got " + vocabSize);
        }
        if (context < 16) {
            throw new IllegalArgumentException("context must be >= 16, got " + context);
        }
        if (warmupSteps < 0 || !(peakLr > 0) || minLr < 0 || minLr > peakLr || weightDecay < 0 || !(clipNorm > 0)) {
            throw new IllegalArgumentException("warmupSteps >= 0, 0 <= minLr <= peakLr, peakLr > 0, weightDecay >= 0, "
                    + "clipNorm > 0");
        }
    }

    /** The demo model's plan: ~2M parameters, ~15 minutes on 2 CPU cores. */
    public static TrainingPlan demo(long seed) {
        return new TrainingPlan(192, 4, 6, 2, 512, 2048, 256, 16, 1400, 60, 3e-3, 2e-4, 0.05, 1.0, seed);
    }

    /** The same plan with another step count and warm-up (smoke tests, quick experiments). */
    public TrainingPlan withSteps(int newSteps, int newWarmup) {
        return new TrainingPlan(hidden, layers, heads, kvHeads, intermediate, vocabSize, context, rows, newSteps,
                newWarmup, peakLr, minLr, weightDecay, clipNorm, seed);
    }

    /** The same plan for the vocabulary the tokenizer actually reached (it stops early when pairs run out). */
    public TrainingPlan withVocab(int newVocab) {
        return new TrainingPlan(hidden, layers, heads, kvHeads, intermediate, newVocab, context, rows, steps,
                warmupSteps, peakLr, minLr, weightDecay, clipNorm, seed);
    }

    /** The model architecture this plan trains. */
    public ModelConfig modelConfig() {
        return new ModelConfig(ModelConfig.Family.LLAMA, hidden, intermediate, layers, heads, kvHeads, hidden / heads,
                vocabSize, 1e-5, 10000.0, null, true, false, context, 0);
    }

    /** Linear warm-up to {@code peakLr}, then a cosine decay to {@code minLr} at the last step. */
    public double learningRate(int step) {
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        double progress = steps <= warmupSteps ? 1 : (double) (step - warmupSteps) / Math.max(1, steps - 1 - warmupSteps);
        return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
