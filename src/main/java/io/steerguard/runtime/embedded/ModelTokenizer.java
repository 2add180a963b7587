package io.steerguard.runtime.embedded;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.steerguard.runtime.ChatMessage;
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
    private final TokenizerFolder files;
    private final ChatTemplate chatTemplate;
    private final boolean addBosToPrompts;

    private ModelTokenizer(String modelName, HuggingFaceTokenizer tokenizer, TokenizerFolder files,
                           ChatTemplate chatTemplate) {
        this.modelName = modelName;
        this.tokenizer = tokenizer;
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
        ChatTemplate template = null;
        if (files.chatTemplate() != null) {
            try {
                template = ChatTemplate.compile(files.chatTemplate(), files.templateTokens());
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(modelDir, TokenizerFolder.CONFIG + ": chat_template: " + e.getMessage(), e);
            }
        }
        HuggingFaceTokenizer tokenizer;
        try {
            byte[] json = files.tokenizerJson().getBytes(StandardCharsets.UTF_8);
            // Without these options DJL truncates to 512 tokens and adds special tokens.
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(modelDir, TokenizerFolder.TOKENIZER
                    + " cannot be loaded by the Hugging Face tokenizer: " + e.getMessage(), e);
        }
        Path name = modelDir.getFileName();
        return new ModelTokenizer(name == null ? modelDir.toString() : name.toString(), tokenizer, files, template);
    }

    /** Encodes text as it is, adding no special tokens (special-token text still maps to its id). */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /**
     * Renders the chat template with {@code add_generation_prompt=true} and encodes the result
     * without adding special tokens: the template already writes the BOS text.
     *
     * @throws RuntimeFault UNSUPPORTED when the model has no chat template; INVALID_REQUEST when
     *                      the template rejects the conversation
     */
    public int[] encodeChat(List<ChatMessage> messages) {
        if (chatTemplate == null) {
            throw new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED,
                    "model " + modelName + " has no chat template; use /v1/completions");
        }
        return encode(chatTemplate.render(messages, true));
    }

    /**
     * Encodes a raw completion prompt, putting BOS first when the model expects it: when
     * tokenizer_config.json says {@code add_bos_token}, or, when it says nothing, when
     * tokenizer.json's post-processor adds BOS (Llama-3). A prompt that already starts with the
     * BOS text does not get a second one.
     */
    public int[] encodePrompt(String text) {
        int[] ids = encode(text);
        if (!addBosToPrompts || (ids.length > 0 && ids[0] == files.bosId())) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = files.bosId();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
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

    /** A detokenizer for one generated sequence. */
    public StreamingDetokenizer newDetokenizer() {
        BitSet special = files.specialIds();
        return new StreamingDetokenizer(this::decodeLongs, special::get);
    }

    @Override
    public void close() {
        tokenizer.close();
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
