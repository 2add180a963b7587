package io.steerguard.training.tokenizer;

import java.util.Objects;

/**
 * One learned BPE merge: two adjacent tokens, written in the byte-level alphabet, that become the
 * token {@code left + right}. A merge's rank is its position in {@link BpeVocabulary#merges()}.
 */
public record Merge(String left, String right) {

    public Merge {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (left.isEmpty() || right.isEmpty()) {
            throw new IllegalArgumentException("merge parts must not be empty: left=\"" + left + "\", right=\"" + right + "\"");
        }
        // tokenizer.json writes a merge as "left right"; the byte-level alphabet has no space.
        if (left.indexOf(' ') >= 0 || right.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("merge parts must not contain a space: \"" + left + "\" \"" + right + "\"");
        }
    }

    /** The token the merge produces. */
    public String result() {
        return left + right;
    }

    /** The merge as tokenizer.json's "merges" list writes it. */
    @Override
    public String toString() {
        return left + " " + right;
    }
}
