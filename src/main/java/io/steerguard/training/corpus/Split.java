package io.steerguard.training.corpus;

/**
 * Where an example belongs. {@link #HELD_OUT} examples use at least one request phrasing, harmful
 * action, wrapper or instruction that never occurs in {@link #TRAIN}, so they measure generalisation.
 */
public enum Split {
    TRAIN,
    HELD_OUT
}
