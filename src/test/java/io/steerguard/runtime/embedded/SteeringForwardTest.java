package io.steerguard.runtime.embedded;

import ai.djl.Device;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.steerguard.runtime.embedded.TransformerDifferentialTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Steering inside the batched forward pass, per SteeringSpec / SteeringOperator / SteeringPositions. */
class SteeringForwardTest {

    static final int HIDDEN = 48;
    static final List<Integer> ALL_LAYERS = List.of(0, 1, 2);

    @TempDir
    static Path tmp;
    static Path dir;
    static Transformer model;
    static NaiveTransformer naive;
    static int[] tokens = TransformerDifferentialTest.randomTokens(24, 97, 7);

    @BeforeAll
    static void load() {
        dir = TinyModels.write(tmp.resolve("llama"), TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.F32));
        model = Transformer.load(dir, Device.cpu(), 4, 64);
        naive = new NaiveTransformer(dir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] vector(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    static Transformer.StepResult prefill(SteeringSpec spec, int len) {
        return model.forward(List.of(new StepSequence(0, Arrays.copyOf(tokens, len), 0, len, spec, ALL_LAYERS)));
    }

    static SteeringSpec.Entry entry(int layer, float[] v, SteeringOperator op, double c, double target, SteeringPositions pos) {
        return new SteeringSpec.Entry("test", List.of(layer), Map.of(layer, v), c, op, target, pos, false);
    }

    @Test
    void addAtLayer_changesCapturedResidualByExactlyCTimesV_andNothingBefore() {
        float[] v = vector(1);
        Map<Integer, float[]> base = prefill(SteeringSpec.none(), 10).captures().get(0);
        Map<Integer, float[]> steered = prefill(SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, v), 3.0)), 10).captures().get(0);

        assertThat(steered.get(0)).isEqualTo(base.get(0));
        for (int i = 0; i < HIDDEN; i++) {
            assertThat((double) steered.get(1)[i] - base.get(1)[i]).isCloseTo(3.0 * v[i], within(1e-5));
        }
        assertThat(steered.get(2)).isNotEqualTo(base.get(2));
    }

    @Test
    void zeroVector_givesBitIdenticalLogits_toUnsteeredModel() {
        SteeringSpec zero = SteeringSpec.of(SteeringSpec.Entry.add(Map.of(0, new float[HIDDEN], 2, new float[HIDDEN]), 5.0));
        Transformer.StepResult none = prefill(SteeringSpec.none(), 12);
        Transformer.StepResult zeroed = prefill(zero, 12);
        assertThat(zeroed.logits()[0]).isEqualTo(none.logits()[0]);
        assertThat(zeroed.captures().get(0).get(2)).isEqualTo(none.captures().get(0).get(2));
    }

    @Test
    void noneSteering_givesBitIdenticalLogits_whenBatchedWithSteeredNeighbour() {
        float[] alone = prefill(SteeringSpec.none(), 9).logits()[0];
        float[] again = prefill(SteeringSpec.none(), 9).logits()[0];
        assertThat(again).as("the forward pass is deterministic").isEqualTo(alone);
        SteeringSpec spec = SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, vector(3)), 4.0));
        assertThat(prefill(spec, 9).logits()[0]).isNotEqualTo(alone);
    }

    @Test
    void projectTo_landsTheProjectionOnTheTarget_andAblateRemovesIt() {
        float[] v = vector(2);
        double norm = SteeringBatch.norm(v);
        SteeringSpec project = SteeringSpec.of(entry(1, v, SteeringOperator.PROJECT_TO, 0, 2.5, SteeringPositions.ALL));
        SteeringSpec ablate = SteeringSpec.of(entry(1, v, SteeringOperator.ABLATE, 0, 0, SteeringPositions.ALL));
        float[] projected = prefill(project, 8).captures().get(0).get(1);
        float[] ablated = prefill(ablate, 8).captures().get(0).get(1);
        assertThat(dot(projected, v) / norm).isCloseTo(2.5, within(1e-4));
        assertThat(dot(ablated, v) / norm).isCloseTo(0.0, within(1e-4));
    }

    @Test
    void perSequenceVectorsInOneBatch_equalSeparateRuns() {
        SteeringSpec[] specs = {
                SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, vector(4)), 2.0)),
                SteeringSpec.none(),
                SteeringSpec.of(entry(0, vector(5), SteeringOperator.PROJECT_TO, 0, -1.0, SteeringPositions.ALL),
                        entry(2, vector(6), SteeringOperator.ABLATE, 0, 0, SteeringPositions.ALL)),
                SteeringSpec.of(SteeringSpec.Entry.add(Map.of(0, vector(7), 2, vector(8)), -1.5))};
        int[] lens = {12, 5, 20, 1};
        List<StepSequence> batch = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            batch.add(new StepSequence(s, Arrays.copyOf(tokens, lens[s]), 0, lens[s], specs[s], List.of()));
        }
        float[][] together = model.forward(batch).logits();
        for (int s = 0; s < 4; s++) {
            float[] separate = prefill(specs[s], lens[s]).logits()[0];
            assertClose(together[s], separate, "sequence " + s);
            float[] reference = naive.forward(Arrays.copyOf(tokens, lens[s]), lens[s], specs[s]).logits()[lens[s] - 1];
            assertClose(together[s], reference, "sequence " + s + " vs naive reference");
        }
    }

    @Test
    void positionModes_andSeveralVectors_matchReference_acrossPrefillAndDecode() {
        int prompt = 6;
        SteeringPositions[] modes = {SteeringPositions.ALL, new SteeringPositions(SteeringPositions.Mode.PROMPT, 0),
                new SteeringPositions(SteeringPositions.Mode.GENERATED, 0), SteeringPositions.firstK(2)};
        for (SteeringPositions mode : modes) {
            SteeringSpec spec = SteeringSpec.of(
                    entry(0, vector(9), SteeringOperator.ADD, 4.0, 0, mode),
                    entry(2, vector(10), SteeringOperator.PROJECT_TO, 0, 1.5, mode),
                    entry(2, vector(11), SteeringOperator.ADD, -2.0, 0, SteeringPositions.ALL));
            float[][] expected = naive.forward(Arrays.copyOf(tokens, 12), prompt, spec).logits();
            float[] first = model.forward(List.of(new StepSequence(0, Arrays.copyOf(tokens, prompt), 0, prompt, spec, List.of())))
                    .logits()[0];
            assertClose(first, expected[prompt - 1], mode + " prefill");
            for (int p = prompt; p < 12; p++) {
                float[] out = model.forward(List.of(new StepSequence(0, new int[]{tokens[p]}, p, prompt, spec, List.of())))
                        .logits()[0];
                assertClose(out, expected[p], mode + " decode position " + p);
            }
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
