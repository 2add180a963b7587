package io.steerguard.training.tokenizer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text the way the Hugging Face tokenizer does before its BPE model runs: special tokens
 * are cut out whole (they are added tokens, matched before anything else), and the text between
 * them is split by the GPT-2 pattern of the {@code ByteLevel} pre-tokenizer with
 * {@code use_regex=true}. Training counts these pieces, so the merges it learns are the ones the
 * tokenizer can apply.
 */
final class PreTokenizer {

    /**
     * GPT-2's split pattern. UNICODE_CHARACTER_CLASS makes {@code \s} Unicode white space, as in
     * the Oniguruma engine the Rust tokenizer uses ({@code \p{L}} and {@code \p{N}} are Unicode
     * categories either way).
     */
    static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Receives the pieces of a text in order. */
    interface Sink {
        /** A piece the BPE model encodes (raw text, not yet in the byte-level alphabet). */
        void word(String piece);

        /** A special token, which maps to its own id and never takes part in a merge. */
        void special(String token);
    }

    private final String[] specials;

    PreTokenizer(List<String> specialTokens) {
        this.specials = specialTokens.toArray(String[]::new);
    }

    void split(String text, Sink sink) {
        int[] next = new int[specials.length];
        for (int s = 0; s < specials.length; s++) {
            next[s] = text.indexOf(specials[s]);
        }
        int from = 0;
        while (true) {
            // The earliest special token wins; at the same position the longest, as in leftmost-longest matching.
            int best = -1;
            for (int s = 0; s < specials.length; s++) {
                if (next[s] < 0) {
                    continue;
                }
                if (best < 0 || next[s] < next[best]
                        || (next[s] == next[best] && specials[s].length() > specials[best].length())) {
                    best = s;
                }
            }
            if (best < 0) {
                splitWords(text, from, text.length(), sink);
                return;
            }
            int start = next[best];
            splitWords(text, from, start, sink);
            sink.special(specials[best]);
            from = start + specials[best].length();
            for (int s = 0; s < specials.length; s++) {
                if (next[s] >= 0 && next[s] < from) {
                    next[s] = text.indexOf(specials[s], from);
                }
            }
        }
    }

    private static void splitWords(String text, int start, int end, Sink sink) {
        if (start >= end) {
            return;
        }
        Matcher m = GPT2_SPLIT.matcher(text).region(start, end);
        int last = start;
        while (m.find()) {
            // The pattern covers every character; a gap would still be a piece of its own, as in HF.
            if (m.start() > last) {
                sink.word(text.substring(last, m.start()));
            }
            sink.word(text.substring(m.start(), m.end()));
            last = m.end();
        }
        if (last < end) {
            sink.word(text.substring(last, end));
        }
    }
}
