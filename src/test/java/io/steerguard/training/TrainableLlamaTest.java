package io.steerguard.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.runtime.embedded.TestTokenizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TrainableLlamaTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A byte-level-sized plan: the test tokenizer's 284 ids fit under vocab 300. */
    private static TrainingPlan tinyPlan(int steps) {
        return new TrainingPlan(32, 2, 4, 2, 64, 300, 64, 4, steps, 5, 1e-2, 1e-3, 0.0, 1.0, 11);
    }

    /** Answers repeat the prompt: learnable from scratch in a few dozen steps. */
    private static List<TrainingSequence> copyTask(int count, int vocab, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TrainingSequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = new int[4];
            for (int j = 0; j < prompt.length; j++) {
                prompt[j] = 10 + rnd.nextInt(20);
            }
            int[] answer = prompt.clone();
            out.add(new TrainingSequence(prompt, answer));
        }
        return out;
    }

    @Test
    void trainingOnACopyTask_drivesTheAnswerLossFarBelowItsStartingValue() {
        TrainingPlan plan = tinyPlan(80);
        TrainableLlama model = new TrainableLlama(plan.modelConfig(), manager, plan.seed());
        BatchPacker packer = new BatchPacker(copyTask(200, plan.vocabSize(), 1), plan.rows(), plan.context(), 0, 2);
        List<Double> losses = Trainer.train(model, packer, plan, manager, r -> { });
        double first = losses.get(0);
        double last = losses.subList(70, 80).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(first).isGreaterThan(Math.log(300) - 0.5);
        // the answer's first token is a 1-in-20 guess (log 20 ~ 3.0); the other three are copies
        assertThat(last).isLessThan(1.2);
    }

    @Test
    void memory_staysFlatAcrossSteps() {
        TrainingPlan plan = tinyPlan(3);
        TrainableLlama model = new TrainableLlama(plan.modelConfig(), manager, plan.seed());
        BatchPacker packer = new BatchPacker(copyTask(50, plan.vocabSize(), 1), plan.rows(), plan.context(), 0, 2);
        Trainer.train(model, packer, plan, manager, r -> { });
        int afterThree = manager.getManagedArrays().size();
        Trainer.train(model, packer, plan.withSteps(10, 2), manager, r -> { });
        // a second optimizer holds its own two moments per parameter; nothing else may stay behind
        assertThat(manager.getManagedArrays().size()).isEqualTo(afterThree + 2 * model.parameters().size());
    }

    @Test
    void sameSeed_givesIdenticalWeights_andAnotherSeedDoesNot() {
        TrainingPlan plan = tinyPlan(5);
        float[] a = trainedEmbedding(plan, 11);
        float[] b = trainedEmbedding(plan, 11);
        float[] c = trainedEmbedding(plan, 12);
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    private float[] trainedEmbedding(TrainingPlan plan, long seed) {
        try (NDManager m = manager.newSubManager()) {
            TrainableLlama model = new TrainableLlama(plan.modelConfig(), m, seed);
            BatchPacker packer = new BatchPacker(copyTask(50, plan.vocabSize(), seed), plan.rows(), plan.context(), 0,
                    seed);
            Trainer.train(model, packer, plan, m, r -> { });
            return model.parameters().get("embed").toFloatArray();
        }
    }

    @Test
    void exportedWeights_loadInTheEmbeddedRuntime_andGiveTheTrainersNextTokenDistribution(@TempDir Path dir)
            throws Exception {
        TrainingPlan plan = new TrainingPlan(32, 2, 4, 2, 64, TestTokenizers.BYTE_LEVEL_BASE_VOCAB
                + TestTokenizers.LLAMA3_SPECIALS.size(), 64, 4, 6, 2, 1e-2, 1e-3, 0.01, 1.0, 5);
        TestTokenizers.writeByteLevel(dir);
        TrainableLlama model = new TrainableLlama(plan.modelConfig(), manager, plan.seed());
        Trainer.train(model, new BatchPacker(copyTask(50, plan.vocabSize(), 3), plan.rows(), plan.context(), 0, 4),
                plan, manager, r -> { });
        ModelExport.write(dir, model, TestTokenizers.LLAMA3_BEGIN_OF_TEXT,
                List.of(TestTokenizers.LLAMA3_END_OF_TEXT, TestTokenizers.LLAMA3_EOT), DemoModelBuilder.DEMO_SAMPLING);

        int[] prompt = {TestTokenizers.LLAMA3_BEGIN_OF_TEXT, 72, 101, 108, 108, 111, 33};
        float[] trainer = trainerLogProbs(model, prompt);
        float[] runtime = runtimeLogProbs(dir, prompt);
        assertThat(runtime).hasSameSizeAs(trainer);
        double worst = 0;
        for (int i = 0; i < trainer.length; i++) {
            worst = Math.max(worst, Math.abs(trainer[i] - runtime[i]));
        }
        assertThat(worst).isLessThan(1e-4);
    }

    /** The trainer's log-softmax at the prompt's last position, from a batch holding only this prompt. */
    private float[] trainerLogProbs(TrainableLlama model, int[] prompt) {
        int[] body = java.util.Arrays.copyOf(prompt, prompt.length - 1);
        TrainingSequence only = new TrainingSequence(body, new int[]{prompt[prompt.length - 1]});
        PackedBatch batch = new BatchPacker(List.of(only), 1, prompt.length, 0, 1).next();
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = model.logits(batch, step);
            return logits.get(prompt.length - 1).logSoftmax(-1).toFloatArray();
        }
    }

    private static float[] runtimeLogProbs(Path dir, int[] prompt) {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("trained", dir))) {
            GenerationRequest request = new GenerationRequest("req", new Prompt.Tokens(prompt), SamplingParams.greedy(1),
                    SteeringSpec.none(), new Introspection(List.of(), true), Priority.INTERACTIVE);
            List<GenerationEvent> events = runtime.generate(request).collect().asList().await()
                    .atMost(Duration.ofSeconds(60));
            return ((GenerationEvent.Captured) events.get(0)).firstTokenLogProbs();
        }
    }
}
