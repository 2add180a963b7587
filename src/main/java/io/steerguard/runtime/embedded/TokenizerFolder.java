package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The text-related files of a Hugging Face model folder, read and checked: tokenizer.json (kept as
 * text for the native tokenizer, plus the vocabulary facts Java needs), tokenizer_config.json and
 * the optional generation_config.json. Every problem becomes a {@link ModelLoadException} that
 * names the file and the field.
 *
 * @param tokenizerJson   tokenizer.json as read
 * @param vocabSize       one more than the largest token id, added tokens included
 * @param specialIds      ids of added tokens marked special (skipped when decoding)
 * @param bosToken        the BOS token's text, or null when the model has none
 * @param bosId           its id, or null
 * @param eosIds          EOS ids from generation_config.json and tokenizer_config.json
 * @param addBosToken     tokenizer_config.json's add_bos_token, or null when not stated
 * @param chatTemplate    the default chat template source, or null when there is none
 * @param templateTokens  special-token strings the template may use ({@code bos_token}, ...)
 */
record TokenizerFolder(String tokenizerJson, int vocabSize, BitSet specialIds, String bosToken, Integer bosId,
                       Set<Integer> eosIds, Boolean addBosToken, String chatTemplate,
                       Map<String, Object> templateTokens) {

    static final String TOKENIZER = "tokenizer.json";
    static final String CONFIG = "tokenizer_config.json";
    static final String GENERATION = "generation_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEMPLATE_TOKENS = {"bos_token", "eos_token", "unk_token", "pad_token"};

    static TokenizerFolder read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir, "model folder does not exist or is not a directory");
        }
        String tokenizerJson = readText(dir, TOKENIZER, true);
        JsonNode tokenizer = parse(dir, TOKENIZER, tokenizerJson);
        Vocabulary vocab = Vocabulary.of(dir, tokenizer);

        String configText = readText(dir, CONFIG, false);
        JsonNode config = configText == null ? JSON.createObjectNode() : parse(dir, CONFIG, configText);
        String generationText = readText(dir, GENERATION, false);
        JsonNode generation = generationText == null ? JSON.createObjectNode() : parse(dir, GENERATION, generationText);

        Map<String, Object> templateTokens = new HashMap<>();
        for (String field : TEMPLATE_TOKENS) {
            templateTokens.put(field, tokenText(dir, config, field));
        }
        String bos = (String) templateTokens.get("bos_token");
        Integer bosId = bos == null ? null : vocab.require(dir, CONFIG, "bos_token", bos);
        if (bos == null && !config.has("bos_token") && generation.path("bos_token_id").canConvertToInt()) {
            bosId = generation.get("bos_token_id").intValue();
        }

        Set<Integer> eos = new LinkedHashSet<>(eosIds(dir, generation));
        String eosText = (String) templateTokens.get("eos_token");
        if (eosText != null) {
            eos.add(vocab.require(dir, CONFIG, "eos_token", eosText));
        }

        JsonNode addBos = config.get("add_bos_token");
        if (addBos != null && !addBos.isNull() && !addBos.isBoolean()) {
            throw new ModelLoadException(dir, CONFIG + ": add_bos_token must be true or false");
        }
        Boolean addBosToken = addBos == null || addBos.isNull() ? null : addBos.booleanValue();

        return new TokenizerFolder(tokenizerJson, vocab.size(), vocab.specialIds(), bos, bosId, Set.copyOf(eos),
                addBosToken, chatTemplate(dir, config), templateTokens);
    }

    /** A special token given as a string or as an AddedToken object ({"content": ...}); null if absent. */
    private static String tokenText(Path dir, JsonNode config, String field) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").textValue();
        }
        throw new ModelLoadException(dir, CONFIG + ": " + field
                + " must be a string or an object with a string \"content\"");
    }

    private static Set<Integer> eosIds(Path dir, JsonNode generation) {
        JsonNode node = generation.get("eos_token_id");
        Set<Integer> ids = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (node.isIntegralNumber()) {
            ids.add(node.intValue());
            return ids;
        }
        if (node.isArray()) {
            for (JsonNode id : node) {
                if (!id.isIntegralNumber()) {
                    break;
                }
                ids.add(id.intValue());
            }
            if (ids.size() == node.size()) {
                return ids;
            }
        }
        throw new ModelLoadException(dir, GENERATION + ": eos_token_id must be an integer or a list of integers");
    }

    /**
     * The template from tokenizer_config.json (a string, or a list of named templates of which
     * "default" is used), else from chat_template.jinja or chat_template.json, as newer exports
     * store it; null when the model has none.
     */
    private static String chatTemplate(Path dir, JsonNode config) {
        JsonNode node = config.get("chat_template");
        if (node == null || node.isNull()) {
            String jinja = readText(dir, "chat_template.jinja", false);
            if (jinja != null) {
                return jinja;
            }
            String json = readText(dir, "chat_template.json", false);
            if (json == null) {
                return null;
            }
            JsonNode wrapped = parse(dir, "chat_template.json", json).get("chat_template");
            if (wrapped == null || !wrapped.isTextual()) {
                throw new ModelLoadException(dir, "chat_template.json: chat_template must be a string");
            }
            return wrapped.textValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            String only = null;
            for (JsonNode named : node) {
                if (!named.path("name").isTextual() || !named.path("template").isTextual()) {
                    throw new ModelLoadException(dir, CONFIG
                            + ": chat_template entries must be objects with string \"name\" and \"template\"");
                }
                if (named.get("name").textValue().equals("default")) {
                    return named.get("template").textValue();
                }
                only = node.size() == 1 ? named.get("template").textValue() : null;
            }
            return only;
        }
        throw new ModelLoadException(dir, CONFIG + ": chat_template must be a string or a list of named templates");
    }

    private static String readText(Path dir, String file, boolean required) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ModelLoadException(dir, file + " is missing");
            }
            return null;
        } catch (IOException e) {
            throw new ModelLoadException(dir, file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path dir, String file, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ModelLoadException(dir, file + " must hold a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(dir, file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Token ids by text for the lookups Java needs, from model.vocab and added_tokens. */
    private record Vocabulary(Map<String, Integer> added, JsonNode modelVocab, int size, BitSet specialIds) {

        static Vocabulary of(Path dir, JsonNode tokenizer) {
            JsonNode vocab = tokenizer.path("model").get("vocab");
            if (vocab == null || !(vocab.isObject() || vocab.isArray())) {
                throw new ModelLoadException(dir, TOKENIZER + ": model.vocab is missing");
            }
            int maxId = -1;
            if (vocab.isObject()) {
                for (JsonNode id : vocab) {
                    maxId = Math.max(maxId, id.asInt(-1));
                }
            } else {
                // Unigram: a list of [piece, score]; the id is the position.
                maxId = vocab.size() - 1;
            }
            Map<String, Integer> added = new HashMap<>();
            BitSet special = new BitSet();
            JsonNode addedTokens = tokenizer.path("added_tokens");
            for (JsonNode token : addedTokens) {
                if (!token.path("id").canConvertToInt() || !token.path("content").isTextual()) {
                    throw new ModelLoadException(dir, TOKENIZER + ": added_tokens entries need an integer id and a content");
                }
                int id = token.get("id").intValue();
                added.put(token.get("content").textValue(), id);
                maxId = Math.max(maxId, id);
                if (token.path("special").asBoolean(false)) {
                    special.set(id);
                }
            }
            if (maxId < 0) {
                throw new ModelLoadException(dir, TOKENIZER + ": model.vocab is empty");
            }
            return new Vocabulary(added, vocab, maxId + 1, special);
        }

        int require(Path dir, String file, String field, String text) {
            Integer id = added.get(text);
            if (id == null && modelVocab.isObject() && modelVocab.path(text).canConvertToInt()) {
                id = modelVocab.get(text).intValue();
            }
            if (id == null && modelVocab.isArray()) {
                for (int i = 0; i < modelVocab.size() && id == null; i++) {
                    if (text.equals(modelVocab.get(i).path(0).asText(null))) {
                        id = i;
                    }
                }
            }
            if (id == null) {
                throw new ModelLoadException(dir, file + ": " + field + " \"" + text + "\" is not a token in " + TOKENIZER);
            }
            return id;
        }
    }
}
