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
 * non-special token (the anchor), so both decodes treat the same token as first. Text whose last
 * character is U+FFFD is held back: it is usually an incomplete UTF-8 sequence that the next token
 * completes; {@link #flush} releases whatever is left.
 */
public final class StreamingDetokenizer {

    /** Keep this many already emitted ids before compacting the buffer. */
    private static final int COMPACT_AFTER = 256;
    private static final char REPLACEMENT = '\uFFFD';

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

    /** Marks everything pushed so far as emitted and moves the anchor to the last text token. */
    private void advance() {
        readOffset = size;
        int anchor = readOffset - 1;
        while (anchor > prefixOffset && special.test((int) ids[anchor])) {
            anchor--;
        }
        prefixOffset = Math.max(prefixOffset, anchor);
        if (prefixOffset > COMPACT_AFTER) {
            ids = Arrays.copyOfRange(ids, prefixOffset, Math.max(size, prefixOffset + 32));
            size -= prefixOffset;
            readOffset -= prefixOffset;
            prefixOffset = 0;
        }
        prefixText = decode.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
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
