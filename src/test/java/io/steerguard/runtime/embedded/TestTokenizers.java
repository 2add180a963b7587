package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small but valid Hugging Face tokenizer folders (tokenizer.json, tokenizer_config.json,
 * generation_config.json) for tests: a byte-level BPE in the GPT-2/Llama-3 style, the same with
 * ChatML specials in the Qwen2 style, and a SentencePiece-style BPE with byte fallback in the
 * Llama-2/Mistral style. Vocabularies hold a few hundred entries, so every model built on them is
 * tiny. Ids are deterministic; the constants below name the special ones.
 */
public final class TestTokenizers {

    /** Sorted keys: the fixtures build maps with Map.of, whose iteration order changes from JVM to JVM. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Merges of the byte-level fixtures, as UTF-8 text pairs; results become ids 256, 257, ... */
    private static final String[][] BYTE_LEVEL_MERGES = {
        {" ", "t"}, {"h", "e"}, {" t", "he"}, {" ", "a"}, {"i", "n"}, {"e", "r"}, {"o", "n"},
        {"r", "e"}, {" ", "s"}, {"l", "l"}, {" ", "w"}, {"o", "r"}, {"e", "ll"}, {"H", "ell"},
        {"Hell", "o"}, {" w", "or"}, {"l", "d"}, {" wor", "ld"}, {" ", "i"}, {" i", "s"},
    };

    /**
     * Vocabulary size of the byte-level fixtures before their special tokens: 256 bytes, the text
     * merges, then two merges that join the UTF-8 bytes of "é" (0xC3 0xA9) and " " + "é".
     */
    public static final int BYTE_LEVEL_BASE_VOCAB = 256 + BYTE_LEVEL_MERGES.length + 2;

    /** Llama-3 style specials, in id order starting at {@link #BYTE_LEVEL_BASE_VOCAB}. */
    public static final List<String> LLAMA3_SPECIALS = List.of("<|begin_of_text|>", "<|end_of_text|>",
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|reserved_special_token_0|>");
    public static final int LLAMA3_BEGIN_OF_TEXT = BYTE_LEVEL_BASE_VOCAB;
    public static final int LLAMA3_END_OF_TEXT = BYTE_LEVEL_BASE_VOCAB + 1;
    public static final int LLAMA3_EOT = BYTE_LEVEL_BASE_VOCAB + 4;

    /** Qwen2 style specials, in id order starting at {@link #BYTE_LEVEL_BASE_VOCAB}. */
    public static final List<String> CHATML_SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    public static final int CHATML_ENDOFTEXT = BYTE_LEVEL_BASE_VOCAB;
    public static final int CHATML_IM_END = BYTE_LEVEL_BASE_VOCAB + 2;

    /** SentencePiece-style ids: unknown, BOS, EOS, then 256 byte-fallback tokens from 3. */
    public static final int SP_UNK = 0;
    public static final int SP_BOS = 1;
    public static final int SP_EOS = 2;
    public static final int SP_FIRST_BYTE = 3;

    /** Single-character pieces of the SentencePiece fixture; anything else falls back to bytes. */
    private static final String SP_CHARS =
            "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'[]/-:é世界";

    /** SentencePiece merges, as piece pairs; results follow the single characters. */
    private static final String[][] SP_MERGES = {
        {"▁", "t"}, {"h", "e"}, {"▁t", "he"}, {"▁", "a"}, {"i", "n"}, {"e", "r"}, {"o", "n"},
        {"l", "l"}, {"e", "ll"}, {"H", "ell"}, {"Hell", "o"}, {"▁", "Hello"}, {"o", "r"},
        {"▁", "w"}, {"▁w", "or"}, {"l", "d"}, {"▁wor", "ld"}, {"I", "N"}, {"IN", "S"}, {"INS", "T"},
        {"[", "INST"}, {"[INST", "]"}, {"[", "/"}, {"[/", "INST"}, {"[/INST", "]"}, {"▁", "é"},
        {"世", "界"},
    };

    private TestTokenizers() {
    }

    /**
     * Writes a Llama-3 style byte-level BPE tokenizer (header/eot chat template, BOS added by the
     * post-processor, two EOS ids in generation_config.json) into {@code dir}.
     *
     * @return the vocabulary size, special tokens included
     */
    public static int writeByteLevel(Path dir) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bos_token", "<|begin_of_text|>");
        config.put("eos_token", "<|eot_id|>");
        config.put("model_max_length", 8192);
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("chat_template", TestChatTemplates.HEADER_STYLE);
        Map<String, Object> generation = Map.of("bos_token_id", LLAMA3_BEGIN_OF_TEXT,
                "eos_token_id", List.of(LLAMA3_END_OF_TEXT, LLAMA3_EOT));
        return writeByteLevelFolder(dir, LLAMA3_SPECIALS, "<|begin_of_text|>", config, generation);
    }

    /**
     * Writes a Qwen2 style byte-level BPE tokenizer (ChatML template with a default system prompt,
     * no BOS token at all) into {@code dir}.
     *
     * @return the vocabulary size, special tokens included
     */
    public static int writeChatMl(Path dir) {
        return writeChatMl(dir, TestChatTemplates.CHATML_STYLE);
    }

    /** {@link #writeChatMl(Path)} with another chat template (SmolLM's ChatML, say). */
    public static int writeChatMl(Path dir, String chatTemplate) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bos_token", null);
        config.put("eos_token", "<|im_end|>");
        config.put("pad_token", "<|endoftext|>");
        config.put("tokenizer_class", "Qwen2Tokenizer");
        config.put("chat_template", chatTemplate);
        Map<String, Object> generation = Map.of("eos_token_id", List.of(CHATML_IM_END, CHATML_ENDOFTEXT));
        return writeByteLevelFolder(dir, CHATML_SPECIALS, null, config, generation);
    }

    /**
     * Writes a Llama-2/Mistral style SentencePiece BPE tokenizer (Metaspace pre-tokenizer, byte
     * fallback, {@code add_bos_token}, AddedToken objects for BOS/EOS and the chat template as a
     * list of named templates) into {@code dir}.
     *
     * @return the vocabulary size, special tokens included
     */
    public static int writeSentencePiece(Path dir) {
        return writeSentencePiece(dir, TestChatTemplates.INST_STYLE);
    }

    /** {@link #writeSentencePiece(Path)} with another default chat template (Llama 2's, Zephyr's). */
    public static int writeSentencePiece(Path dir, String chatTemplate) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put("<unk>", SP_UNK);
        vocab.put("<s>", SP_BOS);
        vocab.put("</s>", SP_EOS);
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), vocab.size());
        }
        SP_CHARS.codePoints().forEach(cp -> vocab.put(Character.toString(cp), vocab.size()));
        List<String> merges = new ArrayList<>();
        for (String[] merge : SP_MERGES) {
            require(vocab.containsKey(merge[0]) && vocab.containsKey(merge[1]), "merge parts in vocab");
            merges.add(merge[0] + " " + merge[1]);
            vocab.putIfAbsent(merge[0] + merge[1], vocab.size());
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", merges);

        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("version", "1.0");
        tokenizer.put("truncation", null);
        tokenizer.put("padding", null);
        tokenizer.put("added_tokens", List.of(added(SP_UNK, "<unk>"), added(SP_BOS, "<s>"), added(SP_EOS, "</s>")));
        tokenizer.put("normalizer", null);
        tokenizer.put("pre_tokenizer", Map.of("type", "Metaspace", "replacement", "▁",
                "prepend_scheme", "first", "split", false));
        tokenizer.put("post_processor", bosTemplate("<s>", SP_BOS));
        tokenizer.put("decoder", Map.of("type", "Sequence", "decoders", List.of(
                Map.of("type", "Replace", "pattern", Map.of("String", "▁"), "content", " "),
                Map.of("type", "ByteFallback"),
                Map.of("type", "Fuse"),
                Map.of("type", "Strip", "content", " ", "start", 1, "stop", 0))));
        tokenizer.put("model", model);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("add_bos_token", true);
        config.put("add_eos_token", false);
        config.put("bos_token", addedTokenObject("<s>"));
        config.put("eos_token", addedTokenObject("</s>"));
        config.put("unk_token", addedTokenObject("<unk>"));
        config.put("legacy", false);
        config.put("model_max_length", 4096);
        config.put("tokenizer_class", "LlamaTokenizer");
        config.put("chat_template", List.of(
                Map.of("name", "default", "template", chatTemplate),
                Map.of("name", "tool_use", "template", "{{ raise_exception('tools are not part of this fixture') }}")));

        write(dir.resolve("tokenizer.json"), tokenizer);
        write(dir.resolve("tokenizer_config.json"), config);
        write(dir.resolve("generation_config.json"), Map.of("bos_token_id", SP_BOS, "eos_token_id", SP_EOS));
        return vocab.size();
    }

    /** GPT-2's reversible map from bytes to printable code points, as used by ByteLevel. */
    public static String byteLevel(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.appendCodePoint(BYTE_TO_CHAR[b & 0xFF]);
        }
        return out.toString();
    }

    private static final int[] BYTE_TO_CHAR = byteToChar();

    /** Printable Latin-1 bytes map to themselves; the other 68 take code points 256, 257, ... */
    private static int[] byteToChar() {
        int[] map = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? b : next++;
        }
        return map;
    }

    private static int writeByteLevelFolder(Path dir, List<String> specials, String bos,
                                            Map<String, Object> config, Map<String, Object> generation) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(byteLevel(new byte[] {(byte) b}), b);
        }
        List<String> merges = new ArrayList<>();
        for (String[] merge : BYTE_LEVEL_MERGES) {
            addMerge(vocab, merges, utf8(merge[0]), utf8(merge[1]));
        }
        addMerge(vocab, merges, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xA9});
        addMerge(vocab, merges, utf8(" "), utf8("é"));
        require(vocab.size() == BYTE_LEVEL_BASE_VOCAB, "byte-level base vocabulary size");

        List<Object> added = new ArrayList<>();
        for (String special : specials) {
            int id = vocab.size();
            vocab.put(special, id);
            added.add(added(id, special));
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", true);
        model.put("vocab", vocab);
        model.put("merges", merges);

        Map<String, Object> byteLevel = Map.of("type", "ByteLevel", "add_prefix_space", false,
                "trim_offsets", true, "use_regex", true);
        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("version", "1.0");
        tokenizer.put("truncation", null);
        tokenizer.put("padding", null);
        tokenizer.put("added_tokens", added);
        tokenizer.put("normalizer", null);
        tokenizer.put("pre_tokenizer", byteLevel);
        tokenizer.put("post_processor", bos == null ? byteLevel : bosTemplate(bos, vocab.get(bos)));
        tokenizer.put("decoder", byteLevel);
        tokenizer.put("model", model);

        write(dir.resolve("tokenizer.json"), tokenizer);
        write(dir.resolve("tokenizer_config.json"), config);
        write(dir.resolve("generation_config.json"), generation);
        return vocab.size();
    }

    private static void addMerge(Map<String, Integer> vocab, List<String> merges, byte[] left, byte[] right) {
        String a = byteLevel(left);
        String b = byteLevel(right);
        require(vocab.containsKey(a) && vocab.containsKey(b), "merge parts in vocab: " + a + " " + b);
        merges.add(a + " " + b);
        vocab.putIfAbsent(a + b, vocab.size());
    }

    /** A TemplateProcessing post-processor that puts {@code bos} before a single sequence. */
    private static Map<String, Object> bosTemplate(String bos, int bosId) {
        Map<String, Object> special = Map.of("SpecialToken", Map.of("id", bos, "type_id", 0));
        Map<String, Object> seqA = Map.of("Sequence", Map.of("id", "A", "type_id", 0));
        Map<String, Object> seqB = Map.of("Sequence", Map.of("id", "B", "type_id", 1));
        Map<String, Object> special1 = Map.of("SpecialToken", Map.of("id", bos, "type_id", 1));
        return Map.of("type", "TemplateProcessing",
                "single", List.of(special, seqA),
                "pair", List.of(special, seqA, special1, seqB),
                "special_tokens", Map.of(bos, Map.of("id", bos, "ids", List.of(bosId), "tokens", List.of(bos))));
    }

    private static Map<String, Object> added(int id, String content) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        return token;
    }

    private static Map<String, Object> addedTokenObject(String content) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("__type", "AddedToken");
        token.put("content", content);
        token.put("lstrip", false);
        token.put("normalized", false);
        token.put("rstrip", false);
        token.put("single_word", false);
        return token;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path file, Object json) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("fixture invariant broken: " + what);
        }
    }
}
