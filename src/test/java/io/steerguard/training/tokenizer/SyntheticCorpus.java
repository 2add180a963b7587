package io.steerguard.training.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * English-ish test text from a seeded random generator: sentences built from small word lists
 * with Zipf-like word frequencies, numbers, punctuation, a few accented words and emoji, newlines
 * between paragraphs, and now and then a chat turn with special tokens.
 */
final class SyntheticCorpus {

    private static final String[] SUBJECTS = ("the model|a user|the gateway|our team|this request|the answer|"
            + "every tenant|the policy|a student|the assistant|my friend|the teacher|her brother|the city|"
            + "the old library|a small company|the new version|each profile|the report|the doctor").split("\\|");
    private static final String[] VERBS = ("explains|writes|reads|answers|describes|finds|builds|checks|sends|"
            + "refuses|helps with|asks about|remembers|changes|measures|learns|opens|closes|follows|returns").split("\\|");
    private static final String[] OBJECTS = ("the recipe|a short poem|the weather|a JSON object|the steps|"
            + "the history of Rome|a list of fruits|the train schedule|the budget|a birthday card|the garden|"
            + "the results|a summary|the error message|the instructions|a letter|the map|the question|"
            + "the résumé|a café menu|the naïve plan|the façade").split("\\|");
    private static final String[] ADVERBS = ("quickly|carefully|again|today|in detail|without delay|politely|"
            + "every morning|at night|step by step|once more|in plain English").split("\\|");
    private static final String[] CONNECTORS = ("because|while|although|and then|so|but|after|before|when").split("\\|");
    private static final String[] EXTRAS = {"🙂", "🚀", "✓", "—", "…", "«oui»", "東京", "Ünïcödé", "\t"};

    private SyntheticCorpus() {
    }

    /** Paragraphs of about {@code bytes} UTF-8 bytes in total, the same for the same seed. */
    static List<String> paragraphs(long seed, int bytes) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        int total = 0;
        while (total < bytes) {
            String paragraph = random.nextInt(20) == 0 ? chatTurn(random) : paragraph(random);
            out.add(paragraph);
            total += paragraph.getBytes(StandardCharsets.UTF_8).length;
        }
        return out;
    }

    /**
     * Harder text for benchmarks: sentences of pseudo-words from a lexicon of {@code lexiconSize}
     * syllable words drawn with Zipf-like frequencies, so the corpus has tens of thousands of
     * distinct pieces as real prose does (the template sentences above have only a few thousand).
     */
    static List<String> lexiconParagraphs(long seed, int bytes, int lexiconSize) {
        Random random = new Random(seed);
        String[] syllables = ("ka|lo|mi|ter|an|ro|sel|vi|du|pra|en|ist|ma|no|ge|tal|ur|bes|ch|ou|ly|ing|ed|st|re|"
                + "con|pro|ment|tion|al|ic|ver|un|der|ex|per|ful|ness|ab|ob").split("\\|");
        String[] lexicon = new String[lexiconSize];
        for (int i = 0; i < lexiconSize; i++) {
            StringBuilder word = new StringBuilder();
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            lexicon[i] = word.toString();
        }
        List<String> out = new ArrayList<>();
        int total = 0;
        while (total < bytes) {
            StringBuilder paragraph = new StringBuilder();
            int sentences = 2 + random.nextInt(5);
            for (int s = 0; s < sentences; s++) {
                int words = 4 + random.nextInt(14);
                for (int w = 0; w < words; w++) {
                    // Log-uniform rank: P(rank = k) ~ 1/(k+1), Zipf's law with exponent 1.
                    int rank = Math.min(lexiconSize - 1,
                            (int) Math.exp(random.nextDouble() * Math.log(lexiconSize + 1.0)) - 1);
                    String word = lexicon[(rank * 7919) % lexiconSize];
                    paragraph.append(w == 0 ? (s == 0 ? "" : " ") + capitalize(word) : " " + word);
                    if (random.nextInt(12) == 0) {
                        paragraph.append(',');
                    }
                }
                paragraph.append(random.nextInt(6) == 0 ? "?" : ".");
            }
            paragraph.append('\n');
            out.add(paragraph.toString());
            total += paragraph.length();
        }
        return out;
    }

    /** {@code count} single sentences, the same for the same seed. */
    static List<String> sentences(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(sentence(random));
        }
        return out;
    }

    private static String paragraph(Random random) {
        StringBuilder text = new StringBuilder();
        int n = 2 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(sentence(random));
        }
        return text.append(random.nextInt(3) == 0 ? "\n\n" : "\n").toString();
    }

    private static String chatTurn(Random random) {
        return "<|start_header_id|>user<|end_header_id|>\n\n" + sentence(random)
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + sentence(random) + "<|eot_id|>";
    }

    static String sentence(Random random) {
        StringBuilder s = new StringBuilder(capitalize(pick(random, SUBJECTS)));
        s.append(' ').append(pick(random, VERBS)).append(' ').append(pick(random, OBJECTS));
        if (random.nextInt(3) == 0) {
            s.append(' ').append(pick(random, ADVERBS));
        }
        if (random.nextInt(4) == 0) {
            s.append(", ").append(pick(random, CONNECTORS)).append(' ').append(pick(random, SUBJECTS))
                    .append(' ').append(pick(random, VERBS)).append(' ').append(pick(random, OBJECTS));
        }
        if (random.nextInt(6) == 0) {
            s.append(" in ").append(1900 + random.nextInt(130));
        }
        if (random.nextInt(8) == 0) {
            s.append(" for ").append(random.nextInt(1000)).append('.').append(random.nextInt(100)).append(" dollars");
        }
        if (random.nextInt(15) == 0) {
            s.append(' ').append(EXTRAS[random.nextInt(EXTRAS.length)]);
        }
        if (random.nextInt(10) == 0) {
            s.append(" (it's what they'll need)");
        }
        s.append(random.nextInt(5) == 0 ? "?" : random.nextInt(6) == 0 ? "!" : ".");
        return s.toString();
    }

    /** Zipf-like: low indices much more often than high ones. */
    private static String pick(Random random, String[] words) {
        double u = random.nextDouble();
        return words[(int) (words.length * u * u)];
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
