package io.steerguard.runtime.embedded;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.steerguard.runtime.SteeringSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput benchmark of the embedded forward pass on a generated ~100M-parameter Llama (F32):
 * memory bandwidth, prefill, decode at batch 1/4/8, steering overhead. Prints a markdown table.
 * Run through {@code src/test/bench/runtime-bench.sh}; not a test.
 *
 * <p>Usage: {@code RuntimeBench <model-dir> [decode-steps]}; the model is generated on first use.
 */
public final class RuntimeBench {

    static final int REPS = 7;
    static final int HIDDEN = 768, LAYERS = 12, HEADS = 12, KV_HEADS = 4, INTER = 2048, VOCAB = 32000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-model");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            System.err.println("generating the benchmark model in " + dir);
            TinyModels.write(dir, new TinyModels.Spec(ModelConfig.Family.LLAMA, TensorType.F32, HIDDEN, LAYERS, HEADS,
                    KV_HEADS, INTER, VOCAB, true, false, 1, 1));
        }
        ModelConfig config = ModelConfig.load(dir);
        long params = (long) VOCAB * HIDDEN + HIDDEN
                + LAYERS * (2L * HIDDEN + (long) HIDDEN * (HEADS + 2 * KV_HEADS) * 64 + (long) HEADS * 64 * HIDDEN
                + 3L * HIDDEN * INTER);
        // bytes streamed per decode step: every layer matrix and the (tied) LM head; the embedding row gather is negligible
        long bytesPerStep = 4 * (params - HIDDEN);

        double copyGBs = copyBandwidth();
        double torchReadGBs = torchReadBandwidth();
        List<String[]> rows = new ArrayList<>();
        try (Transformer model = Transformer.load(dir, Device.cpu(), 8, 512)) {
            // warm-up: first calls pay for kernel selection and page faults
            decode(model, 1, 8, SteeringSpec.none());
            for (int len : new int[]{128, 512}) {
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < REPS; rep++) {
                    int[] prompt = tokens(len, rep);
                    long t0 = System.nanoTime();
                    model.forward(List.of(new StepSequence(0, prompt, 0, len, SteeringSpec.none(), List.of())));
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                rows.add(new String[]{"prefill, prompt " + len, String.format("%.0f tokens/s", len / best),
                        String.format("%.1f ms per prompt", best * 1000)});
            }
            // batch sizes interleaved per repetition, so a noisy neighbour period hits all of them alike
            int[] batches = {1, 4, 8};
            double[] secondsPerStep = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int rep = 0; rep < REPS; rep++) {
                for (int i = 0; i < batches.length; i++) {
                    secondsPerStep[i] = Math.min(secondsPerStep[i], decode(model, batches[i], steps, SteeringSpec.none()));
                }
            }
            double batch1 = 1 / secondsPerStep[0];
            double roofline = copyGBs * 1e9 / bytesPerStep;
            for (int i = 0; i < batches.length; i++) {
                double tokPerS = batches[i] / secondsPerStep[i];
                String note = batches[i] == 1
                        ? String.format("roofline %.1f tokens/s: %.0f%%", roofline, 100 * tokPerS / roofline)
                        : String.format("%.2fx batch 1", tokPerS / batch1);
                rows.add(new String[]{"decode, batch " + batches[i], String.format("%.1f tokens/s", tokPerS),
                        String.format("%.1f ms per step; %s", secondsPerStep[i] * 1000, note)});
            }
            // steering overhead at batch 1, interleaved with unsteered runs so drift hits both alike
            SteeringSpec one = steering(List.of(5));
            SteeringSpec four = steering(List.of(2, 5, 8, 11));
            double[] base = new double[REPS], s1 = new double[REPS], s4 = new double[REPS];
            for (int rep = 0; rep < REPS; rep++) {
                base[rep] = decode(model, 1, steps, SteeringSpec.none());
                s1[rep] = decode(model, 1, steps, one);
                s4[rep] = decode(model, 1, steps, four);
            }
            double b = min(base), o1 = min(s1), o4 = min(s4);
            rows.add(new String[]{"steering, 1 layer, batch 1", String.format("%+.1f%%", 100 * (o1 / b - 1)),
                    String.format("%.2f vs %.2f ms per step", o1 * 1000, b * 1000)});
            rows.add(new String[]{"steering, 4 layers, batch 1", String.format("%+.1f%%", 100 * (o4 / b - 1)),
                    String.format("%.2f vs %.2f ms per step", o4 * 1000, b * 1000)});
            double b8 = Double.MAX_VALUE, s8 = Double.MAX_VALUE;
            for (int rep = 0; rep < REPS; rep++) {
                b8 = Math.min(b8, decode(model, 8, steps, SteeringSpec.none()));
                s8 = Math.min(s8, decode(model, 8, steps, four));
            }
            rows.add(new String[]{"steering, 4 layers, batch 8", String.format("%+.1f%%", 100 * (s8 / b8 - 1)),
                    String.format("%.2f vs %.2f ms per step", s8 * 1000, b8 * 1000)});
        }
        System.out.printf("Model: Llama, %d layers, hidden %d, %d heads / %d KV heads, intermediate %d, vocab %d (tied), "
                        + "%.1fM parameters, F32 (%d MB streamed per decode step)%n%n",
                config.numLayers(), HIDDEN, HEADS, KV_HEADS, INTER, VOCAB, params / 1e6, bytesPerStep >> 20);
        System.out.printf("Each figure is the fastest of %d repetitions (%d decode steps each); PyTorch intra-op threads: %s.%n%n",
                REPS, steps, System.getProperty("ai.djl.pytorch.num_threads", "default (cores)"));
        System.out.printf("Memory bandwidth: %.1f GB/s copy (2 threads, read+write bytes), %.1f GB/s libtorch sum (read)%n%n",
                copyGBs, torchReadGBs);
        System.out.println("| measurement | result | detail |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    /** Prefills {@code batch} 32-token prompts into slots 0..batch-1, then times {@code steps} decode steps. */
    static double decode(Transformer model, int batch, int steps, SteeringSpec steering) {
        List<StepSequence> prefill = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            prefill.add(new StepSequence(b, tokens(32, b), 0, 32, steering, List.of()));
        }
        float[][] logits = model.forward(prefill).logits();
        int[] next = new int[batch];
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            List<StepSequence> step = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                next[b] = TokenChooser.greedy().choose(logits[b]);
                step.add(new StepSequence(b, new int[]{next[b]}, 32 + s, 32, steering, List.of()));
            }
            logits = model.forward(step).logits();
        }
        return (System.nanoTime() - t0) / 1e9 / steps;
    }

    static SteeringSpec steering(List<Integer> layers) {
        Map<Integer, float[]> dirs = new HashMap<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int l : layers) {
            float[] v = new float[HIDDEN];
            for (int i = 0; i < HIDDEN; i++) {
                v[i] = (float) (r.nextDouble() - 0.5);
            }
            dirs.put(l, v);
        }
        return SteeringSpec.of(SteeringSpec.Entry.add(dirs, 2.0));
    }

    static int[] tokens(int n, long seed) {
        return TransformerDifferentialTest.randomTokens(n, VOCAB, seed);
    }

    /** The fastest repetition: on a shared machine, slower ones measure the neighbours, not the code. */
    static double min(double... v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    /** Two threads copying 256 MB float arrays; counts bytes read plus bytes written, like STREAM copy. */
    static double copyBandwidth() throws InterruptedException {
        int n = 32 << 20; // floats per thread: 128 MB per array
        float[][] src = {new float[n], new float[n]};
        float[][] dst = {new float[n], new float[n]};
        double best = 0;
        for (int rep = 0; rep < 6; rep++) {
            Thread[] threads = new Thread[2];
            long t0 = System.nanoTime();
            for (int t = 0; t < 2; t++) {
                int i = t;
                threads[t] = new Thread(() -> System.arraycopy(src[i], 0, dst[i], 0, n));
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * 2 * n * 4 / seconds / 1e9);
        }
        return best;
    }

    /** libtorch summing a 400 MB array with its intra-op threads: the read bandwidth matmuls can reach. */
    static double torchReadBandwidth() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.ones(new Shape(100L << 20));
            double best = 0;
            for (int rep = 0; rep < 6; rep++) {
                long t0 = System.nanoTime();
                a.sum().getFloat();
                best = Math.max(best, 400.0 * (1 << 20) / ((System.nanoTime() - t0) / 1e9) / 1e9);
            }
            return best;
        }
    }
}
