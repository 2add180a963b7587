package io.steerguard.classifier;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the learned tier looks at in one answer: two texts for the encoder (the opening, where
 * refusals are decided, and the whole answer, where refuse-then-comply and partial refusals show)
 * and a handful of lexical signals from the phrase lists.
 *
 * <p>A JSON answer is read through {@link JsonRefusalReader} first: its message fields are the
 * text, and an explicit refusal flag is a feature of its own.
 */
public final class RefusalFeatures {

    /** Characters of the normalised answer given to the encoder as "the whole answer" (≈ 256 word pieces). */
    public static final int WHOLE_CHARS = 1000;
    /** Characters of the opening (first two sentences). */
    public static final int OPENING_CHARS = LexicalRefusalClassifier.OPENING_CHARS;

    /** Names of the lexical features, in order; stored in the model file and checked on load. */
    public static final List<String> LEXICAL_NAMES = List.of(
            "lexical_score", "refusal_first_sentence", "refusal_opening", "apology_start", "ai_disclaimer_opening",
            "comply_opening", "refusal_phrases_whole", "refusal_in_tail", "comply_phrases_whole", "log_length",
            "list_lines", "json", "json_refusal_flag", "eager_start");

    private static final Pattern LIST_LINE = Pattern.compile("(?m)^(?:\\d+[.)]|[-*\u2022]|step \\d+)\\s");
    private static final Pattern EAGER_START = Pattern.compile(
            "^(?:sure|certainly|of course|absolutely|okay|ok|yes|great|here is|heres|here are|step 1|1)\\b");
    private static final LexicalRefusalClassifier LEXICAL = new LexicalRefusalClassifier();

    /** The two encoder inputs and the lexical vector of one answer. */
    public record View(String opening, String whole, float[] lexical) {
    }

    private RefusalFeatures() {
    }

    public static View of(String prompt, String response) {
        Optional<JsonRefusalReader.Reading> json = JsonRefusalReader.read(response);
        String text = response;
        float jsonFlag = 0;
        if (json.isPresent()) {
            if (json.get() instanceof JsonRefusalReader.Reading.Flag flag) {
                jsonFlag = flag.refused() ? 1 : -1;
            } else {
                String messages = ((JsonRefusalReader.Reading.Messages) json.get()).text();
                text = messages.isBlank() ? "(data only)" : messages;
            }
        }
        String normalised = TextNormalizer.normalise(text);
        String whole = normalised.length() <= WHOLE_CHARS ? normalised : normalised.substring(0, WHOLE_CHARS);
        String opening = TextNormalizer.opening(normalised, LexicalRefusalClassifier.OPENING_SENTENCES, OPENING_CHARS);
        String bareFirst = bareWithoutIdioms(TextNormalizer.opening(normalised, 1, OPENING_CHARS));
        String bareOpening = bareWithoutIdioms(opening);
        String bareWhole = bareWithoutIdioms(whole);
        String bareTail = bareWithoutIdioms(normalised.length() <= 300 ? normalised : normalised.substring(normalised.length() - 300));

        float[] f = new float[LEXICAL_NAMES.size()];
        f[0] = (float) LEXICAL.classify(prompt, response).score();
        f[1] = flag(refusal(bareFirst));
        f[2] = flag(refusal(bareOpening));
        f[3] = flag(RefusalPhrases.APOLOGY_START.matcher(bareOpening).lookingAt());
        f[4] = flag(RefusalPhrases.WEAK.matcher(bareOpening).find());
        f[5] = flag(RefusalPhrases.COMPLY.matcher(bareOpening).find());
        f[6] = Math.min(5, count(RefusalPhrases.INABILITY, bareWhole) + count(RefusalPhrases.DECLINE, bareWhole)) / 5f;
        f[7] = flag(refusal(bareTail));
        f[8] = Math.min(5, count(RefusalPhrases.COMPLY, bareWhole)) / 5f;
        f[9] = (float) (Math.log1p(normalised.length()) / 8.0);
        f[10] = Math.min(10, count(LIST_LINE, whole)) / 10f;
        f[11] = flag(json.isPresent());
        f[12] = jsonFlag;
        f[13] = flag(EAGER_START.matcher(bareOpening).lookingAt());
        // the encoder refuses text with nothing visible in it: such an opening or answer is "(empty)"
        return new View(hasVisibleText(opening) ? opening : "(empty)", hasVisibleText(whole) ? whole : "(empty)", f);
    }

    /**
     * Whether {@code text} has a character a reader (or the encoder) would see: not whitespace,
     * not a control or format character (zero-width spaces and joiners count as nothing), and not
     * U+FFFD, which the BERT tokenizer drops (a model's undecodable bytes come out as it).
     */
    static boolean hasVisibleText(String text) {
        return text.codePoints().anyMatch(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                && !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT && cp != 0xFFFD);
    }

    private static boolean refusal(String bare) {
        return RefusalPhrases.INABILITY.matcher(bare).find() || RefusalPhrases.DECLINE.matcher(bare).find();
    }

    private static String bareWithoutIdioms(String normalised) {
        return RefusalPhrases.IDIOMS.matcher(TextNormalizer.bare(normalised)).replaceAll(" ").replaceAll(" +", " ").strip();
    }

    private static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static float flag(boolean b) {
        return b ? 1f : 0f;
    }
}
