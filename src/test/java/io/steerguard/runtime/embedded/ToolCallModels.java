package io.steerguard.runtime.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tiny random models with a chat template that renders tools and extra (non-special) vocabulary
 * tokens, each spelling a whole tool-call answer, as Qwen2.5's own {@code <tool_call>} added token
 * decodes to its text. A random model never writes a call by itself; {@code logit_bias} on one of
 * these tokens with greedy decoding makes it write exactly that text, through the real sampler,
 * detokenizer and parser.
 */
public final class ToolCallModels {

    /** A Qwen2.5-style hermes call. */
    public static final String HERMES_CALL =
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>";
    /** A hermes block whose JSON is cut short. */
    public static final String HERMES_BROKEN =
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \n</tool_call>";
    /** A Llama 3.1-style JSON call. */
    public static final String LLAMA3_CALL = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}";

    private ToolCallModels() {
    }

    /** The token ids of the written extra texts, in the order given. */
    public record Written(Path dir, int firstExtraToken) {
    }

    /** A Qwen2 model with the Qwen2.5-style tools template and one extra token per text. */
    public static Written qwen(Path dir, String... extraTexts) {
        int vocab = TestTokenizers.writeChatMl(dir, ToolChatTemplates.QWEN25_STYLE);
        return finish(dir, vocab, ModelConfig.Family.QWEN2, extraTexts);
    }

    /** A Llama model with the Llama 3.1-style tools template and one extra token per text. */
    public static Written llama(Path dir, String... extraTexts) {
        int vocab = TestTokenizers.writeByteLevel(dir);
        edit(dir.resolve("tokenizer_config.json"), root -> root.put("chat_template", ToolChatTemplates.LLAMA31_STYLE));
        return finish(dir, vocab, ModelConfig.Family.LLAMA, extraTexts);
    }

    private static Written finish(Path dir, int vocab, ModelConfig.Family family, String... extraTexts) {
        edit(dir.resolve("tokenizer.json"), root -> {
            for (int i = 0; i < extraTexts.length; i++) {
                root.withArray("added_tokens").addObject().put("id", vocab + i).put("content", extraTexts[i])
                        .put("single_word", false).put("lstrip", false).put("rstrip", false)
                        .put("normalized", false).put("special", false);
            }
        });
        TinyModels.write(dir, TinyModels.Spec.of(family, TensorType.F32).withVocab(vocab + extraTexts.length));
        return new Written(dir, vocab);
    }

    private static void edit(Path json, java.util.function.Consumer<ObjectNode> change) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            ObjectNode root = (ObjectNode) mapper.readTree(json.toFile());
            change.accept(root);
            Files.writeString(json, mapper.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
