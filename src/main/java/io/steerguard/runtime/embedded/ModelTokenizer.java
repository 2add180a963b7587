package io.steerguard.runtime.embedded;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.RuntimeFault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything between text and token ids for one Hugging Face model folder: the folder's
 * tokenizer.json run by DJL's native Hugging Face tokenizer (offline, no truncation, no padding),
 * its chat template, and the BOS/EOS facts from tokenizer_config.json and generation_config.json.
 * Thread-safe; close it to free the native tokenizer.
 */
public final class ModelTokenizer implements AutoCloseable {

    private final String modelName;
    private final HuggingFaceTokenizer tokenizer;
    /** The same tokenizer in which only {@link ControlTokens} stand-ins are special: for untrusted text. */
    private final HuggingFaceTokenizer guarded;
    private final TokenizerFolder files;
    private final ChatTemplate chatTemplate;
    private final boolean addBosToPrompts;

    private ModelTokenizer(String modelName, HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer guarded,
                           TokenizerFolder files, ChatTemplate chatTemplate) {
        this.modelName = modelName;
        this.tokenizer = tokenizer;
        this.guarded = guarded;
        this.files = files;
        this.chatTemplate = chatTemplate;
        this.addBosToPrompts = files.bosId() != null && (files.addBosToken() != null
                ? files.addBosToken()
                : postProcessorAddsBos());
    }

    /**
     * Loads tokenizer.json, tokenizer_config.json (optional) and generation_config.json (optional)
     * from {@code modelDir}.
     *
     * @throws ModelLoadException naming the folder, file and field when something is missing or wrong
     */
    public static ModelTokenizer load(Path modelDir) {
        TokenizerFolder files = TokenizerFolder.read(modelDir);
        ControlTokens control;
        try {
            control = ControlTokens.of(files.tokenizerJson());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(modelDir, TokenizerFolder.TOKENIZER + ": " + e.getMessage(), e);
        }
        ChatTemplate template = null;
        if (files.chatTemplate() != null) {
            try {
                template = ChatTemplate.compile(control.guardTemplate(files.chatTemplate()),
                        control.guardTemplateTokens(files.templateTokens()));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(modelDir, TokenizerFolder.CONFIG + ": chat_template: " + e.getMessage(), e);
            }
            requireTemplateUsesWholeTokens(modelDir, template, control);
        }
        HuggingFaceTokenizer tokenizer = newTokenizer(modelDir, files.tokenizerJson());
        HuggingFaceTokenizer guarded = null;
        try {
            guarded = newTokenizer(modelDir, control.guardedTokenizerJson());
            requireStandInsKeepTheirIds(modelDir, guarded, control);
        } catch (ModelLoadException e) {
            tokenizer.close();
            if (guarded != null) {
                guarded.close();
            }
            throw e;
        }
        Path name = modelDir.getFileName();
        return new ModelTokenizer(name == null ? modelDir.toString() : name.toString(), tokenizer, guarded, files,
                template);
    }

    private static HuggingFaceTokenizer newTokenizer(Path modelDir, String tokenizerJson) {
        try {
            byte[] json = tokenizerJson.getBytes(StandardCharsets.UTF_8);
            // Without these options DJL truncates to 512 tokens and adds special tokens.
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(modelDir, TokenizerFolder.TOKENIZER
                    + " cannot be loaded by the Hugging Face tokenizer: " + e.getMessage(), e);
        }
    }

    private static void requireStandInsKeepTheirIds(Path modelDir, HuggingFaceTokenizer guarded,
                                                    ControlTokens control) {
        control.standInIds().forEach((standIn, id) -> {
            long[] ids = guarded.encode(standIn, false, false).getIds();
            if (ids.length != 1 || ids[0] != id) {
                throw new ModelLoadException(modelDir, TokenizerFolder.TOKENIZER + ": special token " + id
                        + " cannot be kept apart from message text with this tokenizer's vocabulary format");
            }
        });
    }

    /**
     * A template that assembles a special token from pieces ({@code '<|eot' + '_id|>'}) would
     * emit text the guarded tokenizer no longer treats as special: refuse it at load rather than
     * prompt the model with a broken conversation.
     */
    private static void requireTemplateUsesWholeTokens(Path modelDir, ChatTemplate template, ControlTokens control) {
        String rendered;
        try {
            rendered = template.render(List.of(new ChatMessage("user", "a")), true);
        } catch (RuntimeException e) {
            return; // a template may reject this conversation; real requests are checked again
        }
        String literal = control.literalIn(rendered);
        if (literal != null) {
            throw new ModelLoadException(modelDir, TokenizerFolder.CONFIG + ": chat_template writes the special token "
                    + literal + " in pieces; write it as one literal or through a token variable");
        }
    }

    /**
     * Encodes trusted text as it is, adding no special tokens; special-token text in it still maps
     * to its id. For training data and operator-written text only: client text goes through
     * {@link #encodeText}, {@link #encodeChat} or {@link #encodePrompt}.
     */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /** Encodes client text as plain text: {@code <|eot_id|>} typed in it never becomes the special token. */
    public int[] encodeText(String text) {
        return encodeGuarded(ControlTokens.sanitize(text), 0);
    }

    /**
     * Renders the chat template with {@code add_generation_prompt=true} and encodes the result
     * without adding special tokens: the template already writes the BOS text. Special tokens come
     * only from the template; special-token text inside messages (or roles) is encoded as plain
     * text (see {@link ControlTokens}).
     *
     * @throws RuntimeFault UNSUPPORTED when the model has no chat template; INVALID_REQUEST when
     *                      the template rejects the conversation
     */
    public int[] encodeChat(List<ChatMessage> messages) {
        return encodeChat(messages, List.of());
    }

    /** {@link #encodeChat(List)} with the offered tools rendered by the template (tool names, ids included). */
    public int[] encodeChat(List<ChatMessage> messages, List<FunctionTool> tools) {
        if (chatTemplate == null) {
            throw new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED,
                    "model " + modelName + " has no chat template; use /v1/completions");
        }
        String rendered = chatTemplate.render(messages, tools, true, ControlTokens::sanitize);
        return encodeGuarded(rendered, ControlTokens.countStandIns(rendered));
    }

    /**
     * Encodes a raw completion prompt as plain text (special-token text in it is not parsed), putting
     * BOS first when the model expects it: when tokenizer_config.json says {@code add_bos_token},
     * or, when it says nothing, when tokenizer.json's post-processor adds BOS (Llama-3).
     */
    public int[] encodePrompt(String text) {
        int[] ids = encodeText(text);
        if (!addBosToPrompts) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = files.bosId();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /**
     * Encodes with the guarded tokenizer and checks that exactly {@code expectedSpecial} special
     * tokens came out: one more would mean the vocabulary itself spells a special token from plain
     * text (a BPE merge reaching it), which is refused rather than passed to the model.
     */
    private int[] encodeGuarded(String text, int expectedSpecial) {
        int[] ids = toInts(guarded.encode(text, false, false).getIds());
        if (ControlTokens.countSpecial(ids, files.specialIds()) != expectedSpecial) {
            throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST,
                    "the text encodes as one of the model's control tokens; rephrase it");
        }
        return ids;
    }

    /** Decodes ids to text, leaving out special tokens; ids the tokenizer does not know are skipped. */
    public String decode(int[] ids) {
        return decodeLongs(toLongs(ids));
    }

    /** One more than the largest token id in tokenizer.json, added tokens included. */
    public int vocabSize() {
        return files.vocabSize();
    }

    /** The ids that end a generation: generation_config.json's eos_token_id and tokenizer_config.json's eos_token. */
    public Set<Integer> eosTokenIds() {
        return files.eosIds();
    }

    public OptionalInt bosTokenId() {
        return files.bosId() == null ? OptionalInt.empty() : OptionalInt.of(files.bosId());
    }

    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    /** Whether the chat template shows the model offered tools (it reads {@code tools}). */
    public boolean templateRendersTools() {
        return chatTemplate != null && chatTemplate.rendersTools();
    }

    /** A detokenizer for one generated sequence. */
    public StreamingDetokenizer newDetokenizer() {
        BitSet special = files.specialIds();
        return new StreamingDetokenizer(this::decodeLongs, special::get);
    }

    @Override
    public void close() {
        tokenizer.close();
        guarded.close();
    }

    private String decodeLongs(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    private boolean postProcessorAddsBos() {
        long[] probe = tokenizer.encode("a", true, false).getIds();
        return probe.length > 0 && probe[0] == files.bosId();
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("token ids must not be negative: " + ids[i]);
            }
            out[i] = ids[i];
        }
        return out;
    }
}
