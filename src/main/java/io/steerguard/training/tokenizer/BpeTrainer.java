package io.steerguard.training.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Learns a byte-level BPE from a corpus, the way the Hugging Face {@code ByteLevel} BPE is used
 * by GPT-2 and Llama 3.
 *
 * <p>Training: every text is pre-tokenized exactly as the tokenizer will see it (special tokens
 * cut out whole, then the GPT-2 split pattern, see {@link PreTokenizer}); identical pieces are
 * counted once with their frequency. Each piece starts as its UTF-8 bytes. Then, repeatedly, the
 * most frequent adjacent pair of tokens over all pieces (weighted by piece frequency) becomes a new
 * token, until the vocabulary reaches the requested size or no pair is left.
 *
 * <p>Ties: among pairs with the same count the one with the smaller left id wins, then the
 * smaller right id (ids: bytes by value, then merge results in creation order). The result
 * depends only on the multiset of pieces, so training is deterministic.
 *
 * <p>Cost: pair counts are kept in an index from pair to the pieces that hold it; a merge only
 * revisits those pieces and updates counts by difference. The best pair comes from a priority
 * queue whose stale entries are re-queued with their current count when they surface.
 */
public final class BpeTrainer {

    /** The Llama-3 special tokens, in id order after the learned tokens. */
    public static final List<String> LLAMA3_SPECIAL_TOKENS = List.of("<|begin_of_text|>", "<|end_of_text|>",
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|reserved_special_token_0|>");

    private final int vocabSize;
    private final List<String> specialTokens;

    /** A trainer with the {@link #LLAMA3_SPECIAL_TOKENS}. */
    public BpeTrainer(int vocabSize) {
        this(vocabSize, LLAMA3_SPECIAL_TOKENS);
    }

    /**
     * @param vocabSize     total vocabulary: 256 byte tokens + learned tokens + special tokens
     * @param specialTokens tokens that are kept whole in texts and get the last ids
     */
    public BpeTrainer(int vocabSize, List<String> specialTokens) {
        this.specialTokens = List.copyOf(Objects.requireNonNull(specialTokens, "specialTokens"));
        if (new HashSet<>(this.specialTokens).size() != this.specialTokens.size()
                || this.specialTokens.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("specialTokens must be distinct and not empty: " + specialTokens);
        }
        int minimum = 256 + this.specialTokens.size();
        if (vocabSize < minimum) {
            throw new IllegalArgumentException("vocabSize must be at least " + minimum + " (256 byte tokens + "
                    + this.specialTokens.size() + " special tokens), was " + vocabSize);
        }
        this.vocabSize = vocabSize;
    }

    /**
     * Learns merges from {@code texts}. The result has {@code vocabSize} tokens unless the corpus
     * runs out of pairs first; then it is smaller ({@link BpeVocabulary#size()} tells).
     */
    public BpeVocabulary train(Iterable<String> texts) {
        Objects.requireNonNull(texts, "texts");
        Map<String, long[]> pieceCounts = countPieces(texts);

        List<String> tokens = new ArrayList<>(vocabSize);
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String token = String.valueOf(ByteLevel.charOf(b));
            ids.put(token, tokens.size());
            tokens.add(token);
        }
        Words words = Words.of(pieceCounts);
        PairIndex pairs = PairIndex.of(words);
        List<Merge> merges = new ArrayList<>();
        int learnedSize = vocabSize - specialTokens.size();

        while (tokens.size() < learnedSize) {
            long best = pairs.pollBest();
            if (best < 0) {
                break;
            }
            int left = PairIndex.left(best);
            int right = PairIndex.right(best);
            String merged = tokens.get(left) + tokens.get(right);
            // Different merge paths can spell the same token ("ab"+"c", "a"+"bc"); it keeps one id.
            Integer id = ids.get(merged);
            if (id == null) {
                id = tokens.size();
                ids.put(merged, id);
                tokens.add(merged);
            }
            merges.add(new Merge(tokens.get(left), tokens.get(right)));
            pairs.merge(words, best, id);
        }
        tokens.addAll(specialTokens);
        return new BpeVocabulary(tokens, merges, specialTokens);
    }

    /** Pre-tokenized pieces, in the byte-level alphabet's raw form (plain text), with their counts. */
    private Map<String, long[]> countPieces(Iterable<String> texts) {
        PreTokenizer preTokenizer = new PreTokenizer(specialTokens);
        Map<String, long[]> counts = new HashMap<>();
        PreTokenizer.Sink sink = new PreTokenizer.Sink() {
            @Override
            public void word(String piece) {
                counts.computeIfAbsent(piece, p -> new long[1])[0]++;
            }

            @Override
            public void special(String token) {
                // Special tokens have their own ids; they are never part of a merge.
            }
        };
        for (String text : texts) {
            preTokenizer.split(Objects.requireNonNull(text, "texts must not hold null"), sink);
        }
        return counts;
    }

    /**
     * The distinct pieces as token-id sequences (initially their UTF-8 bytes, which are also the
     * byte tokens' ids) with their frequencies. Pieces are sorted so that their indices, and with
     * them every later step, do not depend on hash order.
     */
    static final class Words {
        final int[][] symbols;
        final int[] lengths;
        final long[] frequencies;

        private Words(int[][] symbols, int[] lengths, long[] frequencies) {
            this.symbols = symbols;
            this.lengths = lengths;
            this.frequencies = frequencies;
        }

        static Words of(Map<String, long[]> pieceCounts) {
            List<String> pieces = new ArrayList<>(pieceCounts.keySet());
            pieces.sort(null);
            int n = pieces.size();
            int[][] symbols = new int[n][];
            int[] lengths = new int[n];
            long[] frequencies = new long[n];
            for (int w = 0; w < n; w++) {
                byte[] bytes = pieces.get(w).getBytes(StandardCharsets.UTF_8);
                symbols[w] = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    symbols[w][i] = bytes[i] & 0xFF;
                }
                lengths[w] = bytes.length;
                frequencies[w] = pieceCounts.get(pieces.get(w))[0];
            }
            return new Words(symbols, lengths, frequencies);
        }
    }

    /** Pair counts, the pieces holding each pair, and a lazily corrected max-queue over the counts. */
    static final class PairIndex {

        /** Count, the pieces that may hold the pair (duplicates and stale entries allowed). */
        private static final class Stat {
            long count;
            int[] words = new int[4];
            int size;

            void addWord(int w) {
                if (size > 0 && words[size - 1] == w) {
                    return;
                }
                if (size == words.length) {
                    words = java.util.Arrays.copyOf(words, size * 2);
                }
                words[size++] = w;
            }
        }

        /** A queued (count, pair); the count may be stale. */
        private record Entry(long count, long pair) {
        }

        /** Count descending, then left id ascending, then right id ascending. */
        private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.count != b.count
                ? Long.compare(b.count, a.count)
                : Long.compare(a.pair, b.pair));
        private final Map<Long, Stat> stats = new HashMap<>();

        static long pair(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }

        static int left(long pair) {
            return (int) (pair >>> 32);
        }

        static int right(long pair) {
            return (int) pair;
        }

        static PairIndex of(Words words) {
            PairIndex index = new PairIndex();
            for (int w = 0; w < words.symbols.length; w++) {
                int[] s = words.symbols[w];
                for (int i = 0; i + 1 < words.lengths[w]; i++) {
                    Stat stat = index.stats.computeIfAbsent(pair(s[i], s[i + 1]), k -> new Stat());
                    stat.count += words.frequencies[w];
                    stat.addWord(w);
                }
            }
            index.stats.forEach((pair, stat) -> index.queue.add(new Entry(stat.count, pair)));
            return index;
        }

        /** The most frequent pair with a positive count, or -1 when there is none. */
        long pollBest() {
            while (!queue.isEmpty()) {
                Entry top = queue.poll();
                Stat stat = stats.get(top.pair);
                if (stat == null || stat.count <= 0) {
                    continue;
                }
                if (stat.count != top.count) {
                    // Counts only fall between pushes, so a stale entry is re-queued at its true count.
                    queue.add(new Entry(stat.count, top.pair));
                    continue;
                }
                return top.pair;
            }
            return -1;
        }

        /**
         * Replaces every non-overlapping occurrence (left to right) of {@code pair} by {@code id}
         * in the pieces that hold it, and updates the counts by difference: each touched piece
         * takes back its old pairs and adds its new ones, weighted by its frequency.
         */
        void merge(Words words, long pair, int id) {
            int a = left(pair);
            int b = right(pair);
            Stat merged = stats.remove(pair);
            Map<Long, long[]> delta = new HashMap<>();
            for (int k = 0; k < merged.size; k++) {
                int w = merged.words[k];
                int[] s = words.symbols[w];
                int len = words.lengths[w];
                if (!holds(s, len, a, b)) {
                    continue;
                }
                long f = words.frequencies[w];
                for (int i = 0; i + 1 < len; i++) {
                    delta.computeIfAbsent(pair(s[i], s[i + 1]), x -> new long[1])[0] -= f;
                }
                int j = 0;
                for (int i = 0; i < len; ) {
                    if (i + 1 < len && s[i] == a && s[i + 1] == b) {
                        s[j++] = id;
                        i += 2;
                    } else {
                        s[j++] = s[i++];
                    }
                }
                words.lengths[w] = j;
                for (int i = 0; i + 1 < j; i++) {
                    long p = pair(s[i], s[i + 1]);
                    delta.computeIfAbsent(p, x -> new long[1])[0] += f;
                    if (s[i] == id || s[i + 1] == id) {
                        stats.computeIfAbsent(p, x -> new Stat()).addWord(w);
                    }
                }
            }
            delta.forEach((p, d) -> {
                if (p == pair || d[0] == 0) {
                    return;
                }
                Stat stat = stats.computeIfAbsent(p, x -> new Stat());
                stat.count += d[0];
                if (d[0] > 0) {
                    queue.add(new Entry(stat.count, p));
                }
            });
        }

        private static boolean holds(int[] s, int len, int a, int b) {
            for (int i = 0; i + 1 < len; i++) {
                if (s[i] == a && s[i + 1] == b) {
                    return true;
                }
            }
            return false;
        }
    }
}
