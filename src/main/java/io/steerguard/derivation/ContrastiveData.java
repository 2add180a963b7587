package io.steerguard.derivation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Contrastive examples read from JSONL, one object per line, in one of two shapes:
 *
 * <ul>
 *   <li>{@link Shape#PROMPT_PAIRS}: {@code {"positive": "...", "negative": "..."}}, two prompts that differ
 *       in the behaviour (e.g. with and without "answer in JSON"); activations are read at the last
 *       prompt token after the chat template's assistant header.</li>
 *   <li>{@link Shape#COMPLETIONS}: {@code {"prompt": "...", "positive": "...", "negative": "..."}}, one prompt
 *       and two answers; activations are read at the last token of prompt + answer.</li>
 * </ul>
 * Other fields ({@code id}, {@code category}) are ignored. Blank lines are skipped. A file must use
 * one shape throughout.
 *
 * @param shape    which of the two shapes every line has
 * @param examples the examples, in file order
 */
public record ContrastiveData(Shape shape, List<Example> examples) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The two accepted line shapes. */
    public enum Shape {
        /** Positive and negative prompts. */
        PROMPT_PAIRS,
        /** A prompt with a positive and a negative completion. */
        COMPLETIONS
    }

    /**
     * One line.
     *
     * @param prompt   the shared prompt ({@link Shape#COMPLETIONS}), or null
     * @param positive the positive prompt or completion
     * @param negative the negative prompt or completion
     */
    public record Example(String prompt, String positive, String negative) {
        public Example {
            Objects.requireNonNull(positive, "positive");
            Objects.requireNonNull(negative, "negative");
        }
    }

    public ContrastiveData {
        Objects.requireNonNull(shape, "shape");
        examples = List.copyOf(examples);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("examples must not be empty");
        }
    }

    /** The first {@code n} examples (all when {@code n} is at least their number). */
    public ContrastiveData limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + n);
        }
        return n >= examples.size() ? this : new ContrastiveData(shape, examples.subList(0, n));
    }

    /**
     * Parses JSONL.
     *
     * @param source names the input in messages ({@code file:line: ...})
     * @throws IllegalArgumentException naming the line of the first problem
     */
    public static ContrastiveData parseJsonl(String text, String source) {
        List<Example> examples = new ArrayList<>();
        Shape shape = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + "not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + "each line must be a JSON object");
            }
            String positive = text(node, "positive", where);
            String negative = text(node, "negative", where);
            String prompt = node.has("prompt") ? text(node, "prompt", where) : null;
            Shape lineShape = prompt == null ? Shape.PROMPT_PAIRS : Shape.COMPLETIONS;
            if (shape != null && lineShape != shape) {
                throw new IllegalArgumentException(where + "mixes shapes: earlier lines are " + describe(shape)
                        + ", this one is " + describe(lineShape));
            }
            shape = lineShape;
            examples.add(new Example(prompt, positive, negative));
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(source + ": no examples");
        }
        return new ContrastiveData(shape, examples);
    }

    /**
     * Reads one string field per line (e.g. {@code instruction} of the refusal-direction sets).
     *
     * @throws IllegalArgumentException naming the line of the first problem
     */
    public static List<String> parseField(String text, String field, String source) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException(where + "each line must be a JSON object");
                }
                out.add(text(node, field, where));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + "not valid JSON: " + e.getOriginalMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(source + ": no lines with '" + field + "'");
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + "'" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static String describe(Shape shape) {
        return shape == Shape.PROMPT_PAIRS ? "{positive, negative} prompt pairs" : "{prompt, positive, negative} completions";
    }
}
