package io.steerguard.classifier;

/**
 * A cheap script check in front of the learned tier: the encoder and the phrase lists know English,
 * so an answer written mostly in another script (Chinese, Cyrillic, Arabic, ...) gets no verdict.
 *
 * <p>Rule: among the letters of the answer's first {@value #SAMPLE_CHARS} characters, at least
 * {@value #MIN_LATIN_SHARE} must be Latin. Latin-script languages other than English (French,
 * German) pass the gate; the evaluation counts how they fare instead of pretending to know.
 */
public final class LanguageGate {

    static final int SAMPLE_CHARS = 600;
    static final double MIN_LATIN_SHARE = 0.7;

    private LanguageGate() {
    }

    /** Whether the text is mostly Latin script (texts without letters pass: there is nothing to misread). */
    public static boolean supported(String text) {
        int letters = 0;
        int latin = 0;
        int end = Math.min(text.length(), SAMPLE_CHARS);
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN) {
                    latin++;
                }
            }
        }
        return letters == 0 || latin >= MIN_LATIN_SHARE * letters;
    }
}
