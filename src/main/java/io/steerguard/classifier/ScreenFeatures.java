package io.steerguard.classifier;

/**
 * The features of the cascade's cheap first tier ({@link ScreenModel}): the learned tier's 14
 * lexical features plus hashed words of the answer, so that it costs a few regular expressions and
 * a dot product instead of two encoder passes.
 *
 * <p>Layout: {@code [0, 14)} the lexical features of {@link RefusalFeatures.View#lexical()};
 * {@code [14, 14 + buckets)} the opening's words and word pairs; {@code [14 + buckets, 14 + 2·buckets)}
 * the whole answer's words (as far as the encoder would read it). Each hashed feature is 1 when some
 * word lands in its bucket. The hash is FNV-1a over the word's UTF-16 units, so the layout depends on
 * nothing but the text: the model file stays valid across JVMs.
 */
public final class ScreenFeatures {

    private ScreenFeatures() {
    }

    /** How many features an answer has with {@code buckets} hash buckets per text. */
    public static int size(int buckets) {
        return RefusalFeatures.LEXICAL_NAMES.size() + 2 * buckets;
    }

    /** The dense feature vector of one answer's view (training). */
    public static float[] of(RefusalFeatures.View view, int buckets) {
        float[] x = new float[size(buckets)];
        int lexical = RefusalFeatures.LEXICAL_NAMES.size();
        System.arraycopy(view.lexical(), 0, x, 0, lexical);
        String opening = TextNormalizer.bare(view.opening());
        forEachWord(opening, true, h -> x[lexical + Math.floorMod(h, buckets)] = 1f);
        String whole = TextNormalizer.bare(view.whole());
        forEachWord(whole, false, h -> x[lexical + buckets + Math.floorMod(h, buckets)] = 1f);
        return x;
    }

    /** Receives one hashed word or word pair. */
    interface HashSink {
        void accept(int hash);
    }

    /**
     * Hashes every space-separated word of {@code bare} (and, when {@code pairs}, every pair of
     * neighbouring words) without making a String of any of them.
     */
    static void forEachWord(String bare, boolean pairs, HashSink sink) {
        int previous = 0;
        boolean hasPrevious = false;
        int n = bare.length();
        int i = 0;
        while (i < n) {
            while (i < n && bare.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int h = 0x811c9dc5;
            while (i < n && bare.charAt(i) != ' ') {
                h = (h ^ bare.charAt(i)) * 0x01000193;
                i++;
            }
            sink.accept(h);
            if (pairs && hasPrevious) {
                // a pair hashes the previous word's hash, a separator and this word's hash
                int p = (previous ^ 0x9e3779b9) * 0x01000193;
                sink.accept((p ^ h) * 0x01000193);
            }
            previous = h;
            hasPrevious = true;
        }
    }
}
