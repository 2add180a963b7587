package io.steerguard.runtime.embedded;

import java.util.Arrays;

/**
 * Orders token ids by weight without sorting the whole vocabulary, which for 128k-token models
 * would cost milliseconds per generated token. Orders are by weight descending, lower id first on
 * ties, so sampling is deterministic.
 *
 * <p>Ids are packed into sortable longs: the float bits of a non-negative weight order like the
 * weight itself, so {@code key = bits(w) << 32 | (2^32 - 1 - id)} sorts by weight, then by
 * lower id. Float precision only affects the order of nearly equal weights, never the mass used
 * for sampling.
 */
final class TokenRanking {

    private TokenRanking() {
    }

    /** The {@code k} heaviest ids, heaviest first; a size-k min-heap over one pass. */
    static int[] topK(double[] weights, int k) {
        long[] heap = new long[k];
        int size = 0;
        for (int id = 0; id < weights.length; id++) {
            long key = key(weights[id], id);
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        return idsDescending(heap, size);
    }

    /**
     * A prefix of the ids by descending weight whose mass reaches {@code topP * total}, so it holds
     * the whole nucleus: collect every id at or above a threshold, and lower the threshold until
     * the collected mass is enough. All ids at or above a threshold form a prefix of the sorted
     * order, so the nucleus lies inside the collected set.
     */
    static int[] nucleusPool(double[] weights, double total, double topP) {
        double max = 0;
        for (double w : weights) {
            max = Math.max(max, w);
        }
        double target = topP * total;
        for (double threshold = max * 1e-3; ; threshold *= 1e-3) {
            boolean last = threshold < Double.MIN_NORMAL;
            long[] keys = new long[16];
            int size = 0;
            double mass = 0;
            for (int id = 0; id < weights.length; id++) {
                if (last || weights[id] >= threshold) {
                    if (size == keys.length) {
                        keys = Arrays.copyOf(keys, size * 2);
                    }
                    keys[size++] = key(weights[id], id);
                    mass += weights[id];
                }
            }
            if (mass >= target || last) {
                return idsDescending(keys, size);
            }
        }
    }

    private static long key(double weight, int id) {
        return ((long) Float.floatToIntBits((float) weight) << 32) | (0xFFFFFFFFL - id);
    }

    private static int[] idsDescending(long[] keys, int size) {
        long[] sorted = Arrays.copyOf(keys, size);
        Arrays.sort(sorted);
        int[] ids = new int[size];
        for (int i = 0; i < size; i++) {
            ids[i] = (int) (0xFFFFFFFFL - (sorted[size - 1 - i] & 0xFFFFFFFFL));
        }
        return ids;
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= heap[i]) {
                return;
            }
            swap(heap, parent, i);
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int i = 0;
        while (true) {
            int smallest = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && heap[l] < heap[smallest]) {
                smallest = l;
            }
            if (r < size && heap[r] < heap[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            swap(heap, smallest, i);
            i = smallest;
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
