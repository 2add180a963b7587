package io.steerguard.training.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plain-Java encoder for a {@link BpeVocabulary}, written as the specification of what the
 * Hugging Face tokenizer does with the files {@link TokenizerFiles} writes: cut out special tokens,
 * split the rest with the GPT-2 pattern, and within each piece repeatedly merge the adjacent pair
 * with the lowest merge rank (the leftmost one when the same pair occurs twice) until no pair has
 * a rank. Simple rather than fast: each step rescans the piece.
 */
public final class BpeEncoder {

    private final BpeVocabulary vocabulary;
    private final PreTokenizer preTokenizer;
    private final Map<String, Integer> ids = new HashMap<>();
    /** Pair "left right" (ids) to {rank, result id}. */
    private final Map<Long, int[]> ranks = new HashMap<>();

    public BpeEncoder(BpeVocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.preTokenizer = new PreTokenizer(vocabulary.specialTokens());
        for (int id = 0; id < vocabulary.size(); id++) {
            ids.put(vocabulary.tokens().get(id), id);
        }
        List<Merge> merges = vocabulary.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge m = merges.get(rank);
            ranks.putIfAbsent(pair(ids.get(m.left()), ids.get(m.right())), new int[] {rank, ids.get(m.result())});
        }
    }

    /** Token ids of {@code text}; special-token text maps to the special token's id. */
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        preTokenizer.split(text, new PreTokenizer.Sink() {
            @Override
            public void word(String piece) {
                encodePiece(piece, out);
            }

            @Override
            public void special(String token) {
                out.add(ids.get(token));
            }
        });
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The text of {@code ids}, special tokens written out. */
    public String decode(int[] tokenIds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int firstSpecial = vocabulary.size() - vocabulary.specialTokens().size();
        for (int id : tokenIds) {
            String token = vocabulary.tokens().get(id);
            byte[] b = id >= firstSpecial ? token.getBytes(StandardCharsets.UTF_8) : ByteLevel.decode(token);
            bytes.write(b, 0, b.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void encodePiece(String piece, List<Integer> out) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<Integer> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(b & 0xFF);
        }
        while (symbols.size() > 1) {
            int bestAt = -1;
            int[] best = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                int[] r = ranks.get(pair(symbols.get(i), symbols.get(i + 1)));
                if (r != null && (best == null || r[0] < best[0])) {
                    best = r;
                    bestAt = i;
                }
            }
            if (best == null) {
                break;
            }
            symbols.set(bestAt, best[1]);
            symbols.remove(bestAt + 1);
        }
        out.addAll(symbols);
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }
}
