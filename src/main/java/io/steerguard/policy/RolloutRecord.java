package io.steerguard.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One persisted rollout decision: a line of {@code rollout-state.jsonl} or an entry of the shared
 * store, and an entry of the rollout audit log. Written before it takes effect.
 *
 * @param time                 when it was decided
 * @param key                  the rollout
 * @param candidate            the candidate profile the decision is about
 * @param candidateFingerprint the candidate's identity when decided: the decision holds only for it
 * @param version              1 for the rollout's first record, then one more per record; a writer
 *                             that did not see the previous record cannot write (see {@link RolloutStore#append})
 * @param from                 the phase before
 * @param to                   the phase after
 * @param actor                {@code rollout-gate} or the operator
 * @param reason               why, in words
 * @param numbers              the candidate's statistics against every limit when decided
 */
public record RolloutRecord(Instant time, RolloutKey key, String candidate, String candidateFingerprint, long version,
                            RolloutPhase from, RolloutPhase to, String actor, String reason, List<Measurement> numbers) {

    /** Actor of the gate's automatic decisions. */
    public static final String GATE = "rollout-gate";

    public RolloutRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(candidateFingerprint, "candidateFingerprint");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        numbers = List.copyOf(numbers);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
    }

    /** Whether this decision is about {@code candidate} with identity {@code fingerprint}. */
    public boolean concerns(String candidate, String fingerprint) {
        return this.candidate.equals(candidate) && candidateFingerprint.equals(fingerprint);
    }
}
