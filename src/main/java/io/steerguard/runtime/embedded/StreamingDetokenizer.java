package io.steerguard.runtime.embedded;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * Turns generated token ids into text as they arrive, so that the concatenation of everything
 * {@link #push} and {@link #flush} return equals {@link ModelTokenizer#decode} of all the ids.
 * Not thread-safe: one per generated sequence.
 *
 * <p>Why it is not just {@code decode(id)} per token: a character may span several byte tokens
 * (an emoji is four byte-fallback or byte-level tokens), and decoders treat the first token of a
 * decode call specially (SentencePiece drops its leading "▁"). So each push decodes a short window
 * of ids twice, the window with and without the new tokens, and emits the difference, as
 * Hugging Face's and vLLM's incremental detokenisers do. The window starts at an already emitted
 * token (the anchor, see {@link #advance}), so both decodes treat the same token as first. Text
 * whose last character is U+FFFD is held back: it is usually an incomplete UTF-8 sequence that the
 * next token completes; {@link #flush} releases whatever is left.
 *
 * <p>For ids that are not valid UTF-8 when joined (a model emitting stray bytes), SentencePiece's
 * byte-fallback decoder replaces a whole run of bytes, including bytes already streamed, so the
 * streamed text can then differ from one decode in where U+FFFD appears. Valid text always
 * streams exactly.
 */
public final class StreamingDetokenizer {

    /** Keep this many already emitted ids before compacting the buffer. */
    private static final int COMPACT_AFTER = 256;
    private static final char REPLACEMENT = '\uFFFD';
    /** How far back to look for a clean anchor; a UTF-8 character is at most 4 byte tokens. */
    private static final int MAX_ANCHOR_SEARCH = 8;

    private final Function<long[], String> decode;
    private final IntPredicate special;
    private long[] ids = new long[32];
    private int size;
    /** Start of the decode window: the anchor token, or 0 before anything was emitted. */
    private int prefixOffset;
    /** End of the ids whose text has been emitted. */
    private int readOffset;
    /** decode(ids[prefixOffset, readOffset)), cached. */
    private String prefixText = "";

    StreamingDetokenizer(Function<long[], String> decode, IntPredicate special) {
        this.decode = decode;
        this.special = special;
    }

    /** Adds one generated id; returns the text it completes, possibly empty. */
    public String push(int tokenId) {
        if (tokenId < 0) {
            throw new IllegalArgumentException("token ids must not be negative: " + tokenId);
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = tokenId;
        String text = decode.apply(Arrays.copyOfRange(ids, prefixOffset, size));
        if (text.length() <= prefixText.length() || text.charAt(text.length() - 1) == REPLACEMENT) {
            return "";
        }
        String delta = text.substring(commonPrefix(prefixText, text));
        advance();
        return delta;
    }

    /** Returns whatever is still held back, an unfinished character as U+FFFD; call it when the sequence ends. */
    public String flush() {
        String text = decode.apply(Arrays.copyOfRange(ids, prefixOffset, size));
        String delta = text.length() > prefixText.length() ? text.substring(commonPrefix(prefixText, text)) : "";
        if (readOffset < size) {
            advance();
        }
        return delta;
    }

    /**
     * Marks everything pushed so far as emitted and moves the anchor to the latest token that
     * starts a clean window: a non-special token from which the emitted ids decode without U+FFFD.
     * That excludes tokens in the middle of a character (a lone continuation byte decodes to
     * U+FFFD), and with SentencePiece byte fallback it also excludes windows that would regroup
     * the bytes of an earlier character, since the ByteFallback decoder turns a whole run of byte
     * tokens into U+FFFD as soon as the run is not valid UTF-8.
     */
    private void advance() {
        readOffset = size;
        for (int p = readOffset - 1; p > prefixOffset && p >= readOffset - MAX_ANCHOR_SEARCH; p--) {
            if (special.test((int) ids[p])) {
                continue;
            }
            String window = decode.apply(Arrays.copyOfRange(ids, p, readOffset));
            if (window.indexOf(REPLACEMENT) < 0) {
                prefixOffset = p;
                prefixText = window;
                compact();
                return;
            }
        }
        // No clean anchor nearby: keep the old one, whose window was just decoded consistently.
        prefixText = decode.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        compact();
    }

    private void compact() {
        if (prefixOffset > COMPACT_AFTER) {
            ids = Arrays.copyOfRange(ids, prefixOffset, Math.max(size, prefixOffset + 32));
            size -= prefixOffset;
            readOffset -= prefixOffset;
            prefixOffset = 0;
        }
    }

    /** Decoders extend the window's text at its end; this guards against one that does not. */
    private static int commonPrefix(String a, String b) {
        if (b.startsWith(a)) {
            return a.length();
        }
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
