package io.steerguard.training.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One list of interchangeable parts (request templates, actions, suffixes ...) divided into the
 * parts TRAIN may use and the parts only HELD_OUT uses: every {@value #HOLD_OUT_EVERY}th entry of
 * the list as written (index 6, 13, 20 ...) is held out, so the held-out parts are visible in the
 * resource files and do not move with the seed.
 */
final class Pool<T> {

    static final int HOLD_OUT_EVERY = 7;

    private final List<T> all;
    private final List<T> train = new ArrayList<>();
    private final List<T> heldOut = new ArrayList<>();
    private final java.util.Set<T> heldOutSet = new java.util.HashSet<>();

    /** A pool whose held-out entries are every seventh one of {@code items}. */
    static <T> Pool<T> of(List<T> items) {
        return new Pool<>(items, true);
    }

    /** A pool with no held-out entries (parts that may appear in both splits, such as facts). */
    static <T> Pool<T> shared(List<T> items) {
        return new Pool<>(items, false);
    }

    /** A pool whose held-out entries are marked by the caller. */
    static <T> Pool<T> marked(List<T> items, List<Boolean> heldOutFlags) {
        Pool<T> pool = new Pool<>(items, false);
        pool.train.clear();
        for (int i = 0; i < items.size(); i++) {
            (heldOutFlags.get(i) ? pool.heldOut : pool.train).add(items.get(i));
        }
        pool.heldOutSet.addAll(pool.heldOut);
        return pool;
    }

    private Pool(List<T> items, boolean holdOut) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("items must not be empty");
        }
        this.all = List.copyOf(items);
        for (int i = 0; i < items.size(); i++) {
            boolean held = holdOut && items.size() >= HOLD_OUT_EVERY && i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1;
            (held ? heldOut : train).add(items.get(i));
        }
        heldOutSet.addAll(heldOut);
    }

    boolean hasHeldOut() {
        return !heldOut.isEmpty();
    }

    List<T> heldOut() {
        return List.copyOf(heldOut);
    }

    boolean isHeldOut(T item) {
        return heldOutSet.contains(item);
    }

    /** A random part: from the train parts only, or from all parts. */
    T pick(SplittableRandom rnd, boolean trainOnly) {
        List<T> from = trainOnly ? train : all;
        return from.get(rnd.nextInt(from.size()));
    }
}
