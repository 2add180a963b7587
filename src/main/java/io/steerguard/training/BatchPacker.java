package io.steerguard.training;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fills fixed-size batches with randomly drawn whole examples, packed first-fit into rows so little
 * compute goes to padding. Deterministic for a given seed and sequence list.
 */
final class BatchPacker {

    private static final float MASKED = -1e9f;

    private final List<TrainingSequence> sequences;
    private final int rows;
    private final int length;
    private final int padToken;
    private final SplittableRandom random;

    BatchPacker(List<TrainingSequence> sequences, int rows, int length, int padToken, long seed) {
        for (TrainingSequence s : sequences) {
            if (s.length() > length) {
                throw new IllegalArgumentException("an example of " + s.length() + " tokens exceeds the row length "
                        + length);
            }
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("sequences must not be empty");
        }
        this.sequences = List.copyOf(sequences);
        this.rows = rows;
        this.length = length;
        this.padToken = padToken;
        this.random = new SplittableRandom(seed);
    }

    /** The next batch: draws examples until one no longer fits in any row. */
    PackedBatch next() {
        int n = rows * length;
        long[] tokens = new long[n];
        long[] positions = new long[n];
        long[] targets = new long[n];
        float[] weights = new float[n];
        float[] mask = new float[n * length];
        Arrays.fill(mask, MASKED);
        Arrays.fill(tokens, padToken);
        int[] used = new int[rows];
        float weightSum = 0;
        while (true) {
            TrainingSequence s = sequences.get(random.nextInt(sequences.size()));
            int row = firstFit(used, s.length());
            if (row < 0) {
                break;
            }
            weightSum += place(s, row, used[row], tokens, positions, targets, weights, mask);
            used[row] += s.length();
        }
        // padding tokens read only themselves, so no softmax row is fully masked
        for (int r = 0; r < rows; r++) {
            for (int i = used[r]; i < length; i++) {
                mask[(r * length + i) * length + i] = 0f;
            }
        }
        return new PackedBatch(rows, length, tokens, positions, targets, weights, mask, weightSum);
    }

    private int firstFit(int[] used, int size) {
        for (int r = 0; r < rows; r++) {
            if (used[r] + size <= length) {
                return r;
            }
        }
        return -1;
    }

    /** Writes one example at {@code offset} of {@code row}; returns its loss weight. */
    private float place(TrainingSequence s, int row, int offset, long[] tokens, long[] positions, long[] targets,
                        float[] weights, float[] mask) {
        int len = s.length();
        int base = row * length + offset;
        float weight = 0;
        for (int i = 0; i < len; i++) {
            tokens[base + i] = token(s, i);
            positions[base + i] = i;
            if (i + 1 < len) {
                targets[base + i] = token(s, i + 1);
                // predict token i+1 only when it belongs to the answer
                if (i + 1 >= s.prompt().length) {
                    weights[base + i] = 1f;
                    weight++;
                }
            }
            int query = base + i;
            for (int j = 0; j <= i; j++) {
                mask[query * length + offset + j] = 0f;
            }
        }
        return weight;
    }

    private static int token(TrainingSequence s, int i) {
        int p = s.prompt().length;
        return i < p ? s.prompt()[i] : s.answer()[i - p];
    }
}
