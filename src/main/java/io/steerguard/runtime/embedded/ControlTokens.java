package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the model's special (control) tokens out of reach of message and prompt text.
 *
 * <p>A Hugging Face tokenizer matches every added token anywhere in the text it encodes, so a
 * user who types {@code <|eot_id|>} would otherwise get the real end-of-turn token and could forge
 * system or assistant turns. Here each special token gets a stand-in string made of Unicode
 * noncharacters (U+FDD0..U+FDEF, which the standard reserves for a program's internal use):
 * <ul>
 *   <li>the <em>guarded</em> tokenizer is tokenizer.json with each special added token's text
 *       replaced by its stand-in (same id), so the literal {@code <|eot_id|>} becomes ordinary text
 *       there, and only a stand-in encodes as a special token;</li>
 *   <li>the chat template's source and its {@code bos_token}/{@code eos_token} variables are
 *       rewritten to the stand-ins, so the template, and only the template, emits them;</li>
 *   <li>noncharacters in message text are replaced by U+FFFD before rendering, so a client cannot
 *       type a stand-in either.</li>
 * </ul>
 * Text without special-token strings encodes exactly as before: the tokenizer splits at the
 * stand-ins where it used to split at the literals, and the text between is the same.
 */
final class ControlTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Marks the start of a stand-in; the digits that follow use the other 31 noncharacters. */
    private static final char MARK = '\uFDD0';
    private static final char FIRST_DIGIT = '\uFDD1';
    private static final int BASE = 31;
    private static final char REPLACEMENT = '\uFFFD';

    /** Special-token text to its stand-in, longest text first (so no literal shadows a longer one). */
    private final Map<String, String> standIns;
    /** Stand-in to the id it must encode as. */
    private final Map<String, Integer> ids;
    private final String guardedTokenizerJson;

    private ControlTokens(Map<String, String> standIns, Map<String, Integer> ids, String guardedTokenizerJson) {
        this.standIns = standIns;
        this.ids = ids;
        this.guardedTokenizerJson = guardedTokenizerJson;
    }

    /** Reads the special added tokens of {@code tokenizerJson} and builds the guarded copy. */
    static ControlTokens of(String tokenizerJson) {
        ObjectNode root;
        try {
            root = (ObjectNode) JSON.readTree(tokenizerJson);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("tokenizer.json is not a JSON object", e);
        }
        List<ObjectNode> special = new ArrayList<>();
        for (JsonNode token : root.path("added_tokens")) {
            if (token.path("special").asBoolean(false) && token.path("content").isTextual()
                    && !token.get("content").textValue().isEmpty()) {
                special.add((ObjectNode) token);
            }
        }
        int width = 1;
        for (int n = BASE; n < special.size(); n *= BASE) {
            width++;
        }
        Map<String, String> standIns = new HashMap<>();
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        for (int i = 0; i < special.size(); i++) {
            ObjectNode token = special.get(i);
            String standIn = standIn(i, width);
            standIns.put(token.get("content").textValue(), standIn);
            ids.put(standIn, token.path("id").asInt());
            token.put("content", standIn);
            // The tokenizer library takes an added token's id from the model's vocabulary when the
            // text is there, and numbers it after the vocabulary otherwise: list the stand-in with
            // the special token's id so it keeps that id.
            if (vocab instanceof ObjectNode v) {
                v.put(standIn, token.path("id").asInt());
            }
            // Matched on the raw text, before any normalizer could touch the noncharacters.
            token.put("normalized", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("single_word", false);
        }
        // The post-processor names special tokens by their old text; nothing here asks it to add any.
        root.putNull("post_processor");
        Map<String, String> ordered = new LinkedHashMap<>();
        standIns.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        try {
            return new ControlTokens(ordered, Map.copyOf(ids), JSON.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** tokenizer.json in which only the stand-ins are special tokens. */
    String guardedTokenizerJson() {
        return guardedTokenizerJson;
    }

    /** Stand-in text to the special token id it must encode as. */
    Map<String, Integer> standInIds() {
        return ids;
    }

    /** The template source with every special-token literal replaced by its stand-in. */
    String guardTemplate(String source) {
        String out = source;
        for (Map.Entry<String, String> e : standIns.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The template's token variables, special ones replaced by their stand-ins. */
    Map<String, Object> guardTemplateTokens(Map<String, Object> tokens) {
        Map<String, Object> out = new HashMap<>();
        tokens.forEach((name, value) -> out.put(name,
                value instanceof String s ? standIns.getOrDefault(s, s) : value));
        return out;
    }

    /** Message text with noncharacters U+FDD0..U+FDEF replaced by U+FFFD, so it holds no stand-in. */
    static String sanitize(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= MARK && c <= '\uFDEF') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, REPLACEMENT);
            }
        }
        return out == null ? text : out.toString();
    }

    /** How many stand-ins {@code rendered} holds: the special tokens its encoding must contain. */
    static int countStandIns(String rendered) {
        int n = 0;
        for (int i = 0; i < rendered.length(); i++) {
            if (rendered.charAt(i) == MARK) {
                n++;
            }
        }
        return n;
    }

    /** The first special-token literal found in {@code rendered}, or null. */
    String literalIn(String rendered) {
        for (String literal : standIns.keySet()) {
            if (rendered.contains(literal)) {
                return literal;
            }
        }
        return null;
    }

    /** How many of {@code ids} are special. */
    static int countSpecial(int[] ids, BitSet special) {
        int n = 0;
        for (int id : ids) {
            if (id >= 0 && special.get(id)) {
                n++;
            }
        }
        return n;
    }

    private static String standIn(int index, int width) {
        char[] digits = new char[width + 1];
        digits[0] = MARK;
        for (int d = width; d >= 1; d--) {
            digits[d] = (char) (FIRST_DIGIT + index % BASE);
            index /= BASE;
        }
        return new String(digits);
    }
}
