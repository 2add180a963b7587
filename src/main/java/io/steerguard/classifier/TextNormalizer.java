package io.steerguard.classifier;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text normalisation shared by the tiers: one spelling for quotes, dashes, case and spacing, so
 * that "I CAN’T help" and "i can't help!!" look the same to a phrase list or an encoder.
 */
public final class TextNormalizer {

    private static final Pattern MARKDOWN = Pattern.compile("[*_`#>~|]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");
    /** A sentence ends at . ! ? or ; followed by space, or at a line break. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;:])\\s+|\\n+");

    private TextNormalizer() {
    }

    /**
     * NFKC, straight quotes and apostrophes, plain dashes, lower case, no markdown emphasis,
     * single spaces. Line breaks survive (they end sentences), other whitespace collapses.
     */
    public static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201A', '\'')
                .replace('\u201B', '\'').replace('\u2032', '\'').replace('`', '\'')
                .replace('\u201C', '"').replace('\u201D', '"').replace('\u201E', '"')
                .replace('\u2013', '-').replace('\u2014', '-').replace('\u2015', '-').replace('\u2212', '-')
                .replace('\u2026', '.');
        s = s.toLowerCase(Locale.ROOT);
        s = MARKDOWN.matcher(s).replaceAll(" ");
        StringBuilder out = new StringBuilder(s.length());
        for (String line : s.split("\\R")) {
            String collapsed = SPACES.matcher(line).replaceAll(" ").trim();
            if (!collapsed.isEmpty()) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(collapsed);
            }
        }
        return out.toString();
    }

    /**
     * Normalised text reduced to words: contractions expanded ("can't" becomes "cannot", "I'm"
     * becomes "i am"), every other character that is not a letter or digit becomes one space.
     * Apostrophe-free spellings ("cant", "im") are left as typed; phrase lists accept both.
     */
    public static String bare(String normalised) {
        String s = normalised
                .replace("can't", "cannot").replace("won't", "will not").replace("shan't", "shall not")
                .replace("n't", " not").replace("'m ", " am ").replace("'re ", " are ")
                .replace("'ll ", " will ").replace("'ve ", " have ").replace("'d ", " would ")
                .replace("'s ", "s ").replace("'", "");
        return NON_WORD.matcher(s).replaceAll(" ").trim();
    }

    /** The first {@code maxSentences} sentences of normalised text, cut at {@code maxChars}. */
    public static String opening(String normalised, int maxSentences, int maxChars) {
        String[] sentences = SENTENCE_END.split(normalised, maxSentences + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(maxSentences, sentences.length); i++) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(sentences[i]);
        }
        return out.length() <= maxChars ? out.toString() : out.substring(0, maxChars);
    }
}
