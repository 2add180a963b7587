package io.steerguard.review;

import java.util.List;

/** What became of a batch of labels: all applied, or none (an unknown id, a failed write). */
public sealed interface LabelOutcome {

    /**
     * One label applied.
     *
     * @param previous the label it replaced, null for the first
     * @param changed  false when the answer already had this label (nothing was written)
     */
    record Result(String id, ReviewLabel label, ReviewLabel previous, boolean changed) {
    }

    /** Every label of the batch holds. */
    record Applied(List<Result> results) implements LabelOutcome {
        public Applied {
            results = List.copyOf(results);
        }
    }

    /** {@code labels[index]} names an answer that is neither queued nor labelled; nothing was applied. */
    record UnknownId(int index, String id) implements LabelOutcome {
    }

    /** The labels could not be written to disk; nothing was applied. */
    record NotPersisted(String message) implements LabelOutcome {
    }
}
