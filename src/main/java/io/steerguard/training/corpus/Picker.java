package io.steerguard.training.corpus;

import java.util.SplittableRandom;

/**
 * Picks the parts of one example for one split and remembers whether any picked part is held out.
 * A TRAIN draw picks train parts only; a HELD_OUT draw picks from all parts and is kept only when
 * it used at least one held-out part ({@link #novel()}).
 */
final class Picker {

    private final SplittableRandom rnd;
    private final boolean trainOnly;
    private boolean novel;

    Picker(SplittableRandom rnd, Split split) {
        this.rnd = rnd;
        this.trainOnly = split == Split.TRAIN;
    }

    <T> T pick(Pool<T> pool) {
        T item = pool.pick(rnd, trainOnly);
        novel |= pool.isHeldOut(item);
        return item;
    }

    /** A free choice that does not decide the split (a refusal phrasing, an answer opener). */
    <T> T any(java.util.List<T> items) {
        return items.get(rnd.nextInt(items.size()));
    }

    int nextInt(int bound) {
        return rnd.nextInt(bound);
    }

    boolean novel() {
        return novel;
    }
}
