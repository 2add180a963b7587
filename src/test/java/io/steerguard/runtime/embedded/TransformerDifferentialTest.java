package io.steerguard.runtime.embedded;

import ai.djl.Device;
import io.steerguard.runtime.SteeringSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DJL logits against the naive reference for every family x dtype, prompt lengths 1..64, batch 1
 * and 4, prefill and KV-cache decode.
 *
 * <p>Tolerance: |djl - ref| <= 2e-4 * (1 + |ref|). Both sides see the same stored weights (a F16
 * or BF16 file is widened to the same F32 values), so dtype does not change the error; what
 * remains is F32 accumulation order in DJL's matmuls against the reference's double sums over
 * 3 layers of width 48-96, measured at about 1e-6..1e-5. A wrong RoPE, mask, GQA mapping or
 * cache position moves logits by 1e-2 or more.
 */
class TransformerDifferentialTest {

    static final double TOLERANCE = 2e-4;
    static final int[] PROMPT_LENGTHS = {1, 2, 7, 16, 33, 64};

    @TempDir
    static Path tmp;

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (ModelConfig.Family f : ModelConfig.Family.values()) {
            for (TensorType t : TensorType.values()) {
                out.add(Arguments.of(f, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void prefillAndDecodeLogits_matchNaiveReference_forEveryFamilyAndDtype(ModelConfig.Family family, TensorType dtype) {
        Path dir = TinyModels.write(tmp.resolve(family + "-" + dtype), TinyModels.Spec.of(family, dtype));
        int[] tokens = randomTokens(80, 97, family.ordinal() * 10L + dtype.ordinal());
        NaiveTransformer naive = new NaiveTransformer(dir);
        float[][] expected = naive.forward(tokens, tokens.length, SteeringSpec.none()).logits();

        try (Transformer model = Transformer.load(dir, Device.cpu(), 4, 128)) {
            // batch 1: prefill each prompt length alone
            for (int len : PROMPT_LENGTHS) {
                float[] logits = model.forward(List.of(prefill(0, tokens, len))).logits()[0];
                assertClose(logits, expected[len - 1], family + " " + dtype + " prefill length " + len);
            }
            // batch 4: four prompts of different lengths in one step (slots 0..3)
            int[] lens = {64, 1, 17, 33};
            List<StepSequence> batch = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                batch.add(prefill(s, tokens, lens[s]));
            }
            float[][] batched = model.forward(batch).logits();
            for (int s = 0; s < 4; s++) {
                assertClose(batched[s], expected[lens[s] - 1], "batched prefill length " + lens[s]);
            }
            // KV-cache decode, per-sequence path: slots 1..3 continue token by token while slot 0 rests
            int[] pos = {64, 1, 17, 33};
            for (int step = 0; step < 6; step++) {
                List<StepSequence> decode = new ArrayList<>();
                for (int s = 1; s < 4; s++) {
                    decode.add(new StepSequence(s, new int[]{tokens[pos[s]]}, pos[s], lens[s], SteeringSpec.none(), List.of()));
                }
                float[][] out = model.forward(decode).logits();
                for (int s = 1; s < 4; s++) {
                    assertClose(out[s - 1], expected[pos[s]], "decode slot " + s + " position " + pos[s]);
                    pos[s]++;
                }
            }
            // KV-cache decode, batched path: slots 0..3 of different lengths in one attention
            for (int step = 0; step < 6; step++) {
                List<StepSequence> decode = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    decode.add(new StepSequence(s, new int[]{tokens[pos[s]]}, pos[s], lens[s], SteeringSpec.none(), List.of()));
                }
                float[][] out = model.forward(decode).logits();
                for (int s = 0; s < 4; s++) {
                    assertClose(out[s], expected[pos[s]], "batched decode slot " + s + " position " + pos[s]);
                    pos[s]++;
                }
            }
        }
    }

    static StepSequence prefill(int slot, int[] tokens, int len) {
        return new StepSequence(slot, java.util.Arrays.copyOf(tokens, len), 0, len, SteeringSpec.none(), List.of());
    }

    static int[] randomTokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i]));
            worst = Math.max(worst, err);
        }
        if (Boolean.getBoolean("steerguard.printErrors")) {
            System.out.printf("%s worst %.3g%n", what, worst);
        }
        assertThat(worst).as("%s: worst relative logit error", what).isLessThanOrEqualTo(TOLERANCE);
    }
}
