package io.steerguard.training.tokenizer;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link BpeVocabulary} as a Hugging Face tokenizer folder: {@code tokenizer.json} (a
 * byte-level BPE in the Llama-3 layout: no normalizer, ByteLevel pre-tokenizer with the GPT-2
 * pattern, BOS put first by the post-processor, ByteLevel decoder, special tokens as added tokens)
 * and {@code tokenizer_config.json} (BOS/EOS, the chat template, the context length). Fields are
 * written in a fixed order with {@code \n} line ends and nothing time-dependent, so the same
 * vocabulary always gives the same bytes.
 */
public final class TokenizerFiles {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    public static final String BOS_TOKEN = "<|begin_of_text|>";
    /** Ends an assistant turn, so it is the EOS a chat model stops on. */
    public static final String EOS_TOKEN = "<|eot_id|>";
    public static final int DEFAULT_MODEL_MAX_LENGTH = 8192;

    /** The Llama-3 style header/eot chat template (the one models/tiny-random uses). */
    public static final String CHAT_TEMPLATE = """
            {%- for message in messages -%}
                {%- set turn = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' -%}
                {%- if loop.index0 == 0 -%}
                    {%- set turn = bos_token + turn -%}
                {%- endif -%}
                {{- turn -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
                {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
            {%- endif -%}""";

    /** Special tokens the chat template and the config refer to. */
    private static final List<String> REQUIRED_SPECIALS = List.of(BOS_TOKEN, "<|start_header_id|>",
            "<|end_header_id|>", EOS_TOKEN);

    private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private TokenizerFiles() {
    }

    /** Writes both files with {@link #DEFAULT_MODEL_MAX_LENGTH}. */
    public static void write(Path modelDir, BpeVocabulary vocab) throws IOException {
        write(modelDir, vocab, DEFAULT_MODEL_MAX_LENGTH);
    }

    /**
     * Writes tokenizer.json and tokenizer_config.json into {@code modelDir} (created if needed).
     *
     * @param modelMaxLength the model's context length, written as {@code model_max_length}
     * @throws IllegalArgumentException when the vocabulary lacks a special token the chat template uses
     */
    public static void write(Path modelDir, BpeVocabulary vocab, int modelMaxLength) throws IOException {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(vocab, "vocab");
        if (modelMaxLength <= 0) {
            throw new IllegalArgumentException("modelMaxLength must be positive, was " + modelMaxLength);
        }
        for (String special : REQUIRED_SPECIALS) {
            if (!vocab.specialTokens().contains(special)) {
                throw new IllegalArgumentException("vocab must have the special token " + special
                        + " (the chat template uses it); it has " + vocab.specialTokens());
            }
        }
        Files.createDirectories(modelDir);
        writeJson(modelDir.resolve(TOKENIZER_JSON), tokenizerJson(vocab));
        writeJson(modelDir.resolve(TOKENIZER_CONFIG_JSON), tokenizerConfig(vocab, modelMaxLength));
    }

    private static Map<String, Object> tokenizerJson(BpeVocabulary vocab) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int id = 0; id < vocab.size(); id++) {
            ids.put(vocab.tokens().get(id), id);
        }
        List<Object> added = new ArrayList<>();
        for (String special : vocab.specialTokens()) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("id", ids.get(special));
            token.put("content", special);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
            added.add(token);
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        // Merges by rank decide every split; the reference encoder (BpeEncoder) does the same.
        model.put("ignore_merges", false);
        model.put("vocab", ids);
        model.put("merges", vocab.merges().stream().map(Merge::toString).toList());

        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("version", "1.0");
        tokenizer.put("truncation", null);
        tokenizer.put("padding", null);
        tokenizer.put("added_tokens", added);
        tokenizer.put("normalizer", null);
        tokenizer.put("pre_tokenizer", byteLevel());
        tokenizer.put("post_processor", bosFirst(ids.get(BOS_TOKEN)));
        tokenizer.put("decoder", byteLevel());
        tokenizer.put("model", model);
        return tokenizer;
    }

    private static Map<String, Object> byteLevel() {
        Map<String, Object> byteLevel = new LinkedHashMap<>();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);
        return byteLevel;
    }

    /** TemplateProcessing that puts BOS before a sequence (and before each of a pair), as Llama 3 does. */
    private static Map<String, Object> bosFirst(int bosId) {
        Map<String, Object> processor = new LinkedHashMap<>();
        processor.put("type", "TemplateProcessing");
        processor.put("single", List.of(special(0), sequence("A", 0)));
        processor.put("pair", List.of(special(0), sequence("A", 0), special(1), sequence("B", 1)));
        Map<String, Object> bos = new LinkedHashMap<>();
        bos.put("id", BOS_TOKEN);
        bos.put("ids", List.of(bosId));
        bos.put("tokens", List.of(BOS_TOKEN));
        processor.put("special_tokens", Map.of(BOS_TOKEN, bos));
        return processor;
    }

    private static Map<String, Object> special(int typeId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", BOS_TOKEN);
        inner.put("type_id", typeId);
        return Map.of("SpecialToken", inner);
    }

    private static Map<String, Object> sequence(String id, int typeId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", id);
        inner.put("type_id", typeId);
        return Map.of("Sequence", inner);
    }

    private static Map<String, Object> tokenizerConfig(BpeVocabulary vocab, int modelMaxLength) {
        // transformers reads added_tokens_decoder to rebuild the special tokens; keys are ids as text.
        Map<String, Object> decoder = new LinkedHashMap<>();
        for (String special : vocab.specialTokens()) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("content", special);
            token.put("lstrip", false);
            token.put("normalized", false);
            token.put("rstrip", false);
            token.put("single_word", false);
            token.put("special", true);
            decoder.put(Integer.toString(vocab.id(special)), token);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("added_tokens_decoder", decoder);
        config.put("bos_token", BOS_TOKEN);
        config.put("chat_template", CHAT_TEMPLATE);
        // Decoding must give back the exact text; the old default would drop spaces before punctuation.
        config.put("clean_up_tokenization_spaces", false);
        config.put("eos_token", EOS_TOKEN);
        config.put("model_max_length", modelMaxLength);
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        return config;
    }

    private static void writeJson(Path file, Object json) throws IOException {
        Files.write(file, (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
