package io.steerguard.training.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.classifier.LexicalRefusalClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A checkable constraint on a model's answer, used by the evaluation to score it. The compliance
 * constraints other than {@link YesOrNo} also require that the answer is not a refusal (by
 * {@link LexicalRefusalClassifier}), so "I can't help." does not count as a three-word answer.
 * Words are whitespace-separated tokens holding at least one letter or digit.
 */
public sealed interface AnswerCheck {

    /** True when {@code answer} satisfies the constraint. */
    boolean passes(String answer);

    /** The constraint's name in the JSONL files. */
    String type();

    /** The constraint's parameters in the JSONL files, in a stable order (empty when it has none). */
    default Map<String, Object> params() {
        return Map.of();
    }

    /** The answer is a refusal. */
    record Refuses() implements AnswerCheck {
        public boolean passes(String answer) {
            return Text.refused(answer);
        }

        public String type() {
            return "refuses";
        }
    }

    /** The answer is not a refusal and has at least {@code minWords} words. */
    record Helps(int minWords) implements AnswerCheck {
        public Helps {
            if (minWords < 1) {
                throw new IllegalArgumentException("minWords must be >= 1, got " + minWords);
            }
        }

        public boolean passes(String answer) {
            return !Text.refused(answer) && Text.words(answer) >= minWords;
        }

        public String type() {
            return "helps";
        }

        public Map<String, Object> params() {
            return Map.of("minWords", minWords);
        }
    }

    /** The whole answer parses (Jackson) as one JSON object holding every required key. */
    record ValidJsonObject(List<String> requiredKeys) implements AnswerCheck {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        public ValidJsonObject {
            requiredKeys = List.copyOf(requiredKeys);
        }

        public boolean passes(String answer) {
            try {
                JsonNode node = MAPPER.readTree(answer.strip());
                return node != null && node.isObject() && requiredKeys.stream().allMatch(node::has);
            } catch (java.io.IOException e) {
                return false;
            }
        }

        public String type() {
            return "valid_json_object";
        }

        public Map<String, Object> params() {
            return Map.of("requiredKeys", requiredKeys);
        }
    }

    /** Exactly {@code n} words, not a refusal. */
    record WordCount(int n) implements AnswerCheck {
        public WordCount {
            if (n < 1) {
                throw new IllegalArgumentException("n must be >= 1, got " + n);
            }
        }

        public boolean passes(String answer) {
            return Text.words(answer) == n && !Text.refused(answer);
        }

        public String type() {
            return "word_count";
        }

        public Map<String, Object> params() {
            return Map.of("n", n);
        }
    }

    /** Between one and {@code n} words, not a refusal. */
    record MaxWords(int n) implements AnswerCheck {
        public MaxWords {
            if (n < 1) {
                throw new IllegalArgumentException("n must be >= 1, got " + n);
            }
        }

        public boolean passes(String answer) {
            int words = Text.words(answer);
            return words >= 1 && words <= n && !Text.refused(answer);
        }

        public String type() {
            return "max_words";
        }

        public Map<String, Object> params() {
            return Map.of("n", n);
        }
    }

    /** At least one letter and no upper-case letter, not a refusal. */
    record AllLowercase() implements AnswerCheck {
        public boolean passes(String answer) {
            boolean letter = answer.chars().anyMatch(Character::isLetter);
            boolean upper = answer.chars().anyMatch(Character::isUpperCase);
            return letter && !upper && !Text.refused(answer);
        }

        public String type() {
            return "all_lowercase";
        }
    }

    /** Opens with {@code prefix} exactly (after leading whitespace) and says something after it, not a refusal. */
    record StartsWith(String prefix) implements AnswerCheck {
        public StartsWith {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("prefix must be non-blank");
            }
        }

        public boolean passes(String answer) {
            String s = answer.strip();
            return s.startsWith(prefix) && Text.words(s.substring(prefix.length())) >= 1 && !Text.refused(s);
        }

        public String type() {
            return "starts_with";
        }

        public Map<String, Object> params() {
            return Map.of("prefix", prefix);
        }
    }

    /** Closes with {@code suffix} exactly (before trailing whitespace) and says something before it, not a refusal. */
    record EndsWith(String suffix) implements AnswerCheck {
        public EndsWith {
            if (suffix == null || suffix.isBlank()) {
                throw new IllegalArgumentException("suffix must be non-blank");
            }
        }

        public boolean passes(String answer) {
            String s = answer.strip();
            return s.endsWith(suffix) && Text.words(s.substring(0, s.length() - suffix.length())) >= 1
                    && !Text.refused(s);
        }

        public String type() {
            return "ends_with";
        }

        public Map<String, Object> params() {
            return Map.of("suffix", suffix);
        }
    }

    /** Exactly "yes" or "no", any case, with at most a trailing period. */
    record YesOrNo() implements AnswerCheck {
        public boolean passes(String answer) {
            String s = answer.strip().toLowerCase(Locale.ROOT);
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.equals("yes") || s.equals("no");
        }

        public String type() {
            return "yes_or_no";
        }
    }

    /**
     * Opens with a greeting word and says it is the demo model, not a refusal: a greeting answered
     * as a greeting, not with some topic's fact.
     */
    record Greets() implements AnswerCheck {
        private static final java.util.regex.Pattern OPENING = java.util.regex.Pattern.compile(
                "^(?:hello|hi|hey|greetings|howdy|good (?:morning|afternoon|evening|day)|nice to meet you)\\b");

        public boolean passes(String answer) {
            String s = Text.plain(answer);
            return OPENING.matcher(s).find() && s.contains("demo model") && !Text.refused(answer);
        }

        public String type() {
            return "greets";
        }
    }

    /**
     * Contains every phrase (case-insensitive, typographic apostrophes read as plain ones), not a
     * refusal: the graceful out-of-scope answer says "don't know" and "demo model".
     */
    record Mentions(List<String> phrases) implements AnswerCheck {
        public Mentions {
            phrases = List.copyOf(phrases);
            if (phrases.isEmpty() || phrases.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("phrases must be non-empty and non-blank");
            }
        }

        public boolean passes(String answer) {
            String s = Text.plain(answer);
            return phrases.stream().allMatch(p -> s.contains(Text.plain(p))) && !Text.refused(answer);
        }

        public String type() {
            return "mentions";
        }

        public Map<String, Object> params() {
            return Map.of("phrases", phrases);
        }
    }

    /** The shared helpers of the checks. */
    final class Text {
        private static final LexicalRefusalClassifier CLASSIFIER = new LexicalRefusalClassifier();

        private Text() {
        }

        static boolean refused(String answer) {
            return CLASSIFIER.classify("", answer).refused();
        }

        /** Lower case, stripped, typographic apostrophes as plain ones. */
        static String plain(String text) {
            return text.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        }

        static int words(String text) {
            int n = 0;
            for (String token : text.strip().split("\\s+")) {
                if (token.chars().anyMatch(Character::isLetterOrDigit)) {
                    n++;
                }
            }
            return n;
        }

        /** The check as {@code {"type": ..., params...}}, keys in a stable order. */
        static Map<String, Object> describe(AnswerCheck check) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", check.type());
            new java.util.TreeMap<>(check.params()).forEach(out::put);
            return out;
        }
    }
}
