package io.steerguard.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.steerguard.classifier.TierReading;
import io.steerguard.classifier.Verdict;

/**
 * One answer waiting for a human label.
 *
 * @param id              stable, unique across restarts ({@code rv_} and 20 hex digits)
 * @param seq             arrival order in this process (the paging cursor)
 * @param time            when the pair was classified
 * @param tenant          configured tenant id
 * @param profile         configured profile id
 * @param side            steered answer or unsteered twin
 * @param requestId       the client request's id
 * @param prompt          the prompt, cut to the configured bound
 * @param answer          the answer, cut to the configured bound
 * @param truncated       whether the prompt or the answer was cut
 * @param decision        the verdict the statistics counted
 * @param tiers           each tier's reading (the lexical tier's always among them)
 * @param reasons         why it was queued (never empty)
 * @param informativeness how much a label on it would teach, in [0, 2]: 1 for a disagreement plus
 *                        up to 1 for a score on the threshold; the least informative leave first
 */
public record ReviewItem(String id, long seq, Instant time, String tenant, String profile, ReviewSide side,
                         String requestId, String prompt, String answer, boolean truncated, Verdict decision,
                         List<TierReading> tiers, Set<ReviewReason> reasons, double informativeness) {

    public ReviewItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(decision, "decision");
        tiers = List.copyOf(tiers);
        reasons = Set.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an item needs a reason to be reviewed");
        }
        if (!(informativeness >= 0 && informativeness <= 2)) {
            throw new IllegalArgumentException("informativeness must be within [0, 2], was " + informativeness);
        }
    }

    /** The learned tier's raw logit, NaN when that tier did not read this answer. */
    public double learnedLogit() {
        return tiers.stream().filter(TierReading::hasLogit).mapToDouble(TierReading::logit).findFirst().orElse(Double.NaN);
    }
}
