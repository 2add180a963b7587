package io.steerguard.shadow;

import java.time.Instant;
import java.util.Objects;

/**
 * One prompt answered twice, steered and unsteered, with a refusal verdict on each answer.
 *
 * @param profile          the steering profile the steered answer used
 * @param tenant           the tenant whose request was mirrored (or the probe runner's id)
 * @param time             when the pair was completed
 * @param steeredRefused   whether the classifier judged the steered answer a refusal
 * @param steeredScore     the classifier's refusal score for the steered answer, in [0, 1]
 * @param unsteeredRefused whether the classifier judged the unsteered answer a refusal
 * @param unsteeredScore   the classifier's refusal score for the unsteered answer, in [0, 1]
 * @param source           live mirrored traffic or a scheduled probe
 */
public record PairedSample(String profile, String tenant, Instant time, boolean steeredRefused, double steeredScore,
                           boolean unsteeredRefused, double unsteeredScore, Source source) {

    /** Where a pair came from. */
    public enum Source { LIVE, PROBE }

    public PairedSample {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        if (!(steeredScore >= 0 && steeredScore <= 1)) {
            throw new IllegalArgumentException("steeredScore must be within [0, 1], got " + steeredScore);
        }
        if (!(unsteeredScore >= 0 && unsteeredScore <= 1)) {
            throw new IllegalArgumentException("unsteeredScore must be within [0, 1], got " + unsteeredScore);
        }
    }
}
