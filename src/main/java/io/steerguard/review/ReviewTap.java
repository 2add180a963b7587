package io.steerguard.review;

/**
 * Where the shadow path offers each classified pair for review. An implementation must return at
 * once and never throw into the shadow path: a pair it cannot take is dropped and counted.
 */
@FunctionalInterface
public interface ReviewTap {

    /** Takes nothing. */
    ReviewTap NONE = pair -> {
    };

    void offer(MirroredPair pair);
}
