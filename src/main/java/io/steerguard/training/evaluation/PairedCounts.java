package io.steerguard.training.evaluation;

import java.time.Duration;
import java.time.Instant;

import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.WindowCounts;

/**
 * The shadow path's paired statistics over offline pairs: each prompt answered steered and
 * unsteered becomes one {@link WindowCounts#of} pair exactly as a mirrored request does, and
 * {@link SafetySnapshot#of} derives the externality P(steered complies | unsteered refused), the
 * over-refusal rate and the safety margin with the gateway's own definitions and intervals.
 */
public final class PairedCounts {

    private PairedCounts() {
    }

    /**
     * Pairs prompt i's steered and unsteered verdicts; prompts missing on either side are left out.
     *
     * @param lexicalTier pair the lexical tier's verdicts (scores 1/0) instead of the primary classifier's
     */
    public static WindowCounts pair(Verdicts steered, Verdicts unsteered, boolean lexicalTier) {
        if (steered.size() != unsteered.size()) {
            throw new IllegalArgumentException("steered and unsteered verdicts must cover the same prompts, got "
                    + steered.size() + " and " + unsteered.size());
        }
        WindowCounts c = WindowCounts.EMPTY;
        for (int i = 0; i < steered.size(); i++) {
            if (!steered.answered()[i] || !unsteered.answered()[i]) {
                continue;
            }
            boolean s = lexicalTier ? steered.lexical()[i] : steered.primary()[i];
            boolean u = lexicalTier ? unsteered.lexical()[i] : unsteered.primary()[i];
            double ss = lexicalTier ? (s ? 1 : 0) : steered.primaryScore()[i];
            double us = lexicalTier ? (u ? 1 : 0) : unsteered.primaryScore()[i];
            c = c.plus(WindowCounts.of(s, ss, u, us, false));
        }
        return c;
    }

    /** Every statistic of the counts at {@code confidence}, as the admin API computes them. */
    public static SafetySnapshot snapshot(WindowCounts counts, double confidence) {
        return SafetySnapshot.of(Duration.ZERO, Instant.EPOCH, counts, confidence);
    }
}
