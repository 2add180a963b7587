package io.steerguard.training.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.embedded.ChatTemplate;
import io.steerguard.runtime.embedded.ModelTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The project's embedded runtime loads a trained tokenizer folder and chats with it. */
class RuntimeLoadTest {

    @TempDir
    Path dir;

    private BpeVocabulary trainAndWrite() throws IOException {
        BpeVocabulary vocab = new BpeTrainer(800).train(SyntheticCorpus.paragraphs(21, 100_000));
        TokenizerFiles.write(dir, vocab, 512);
        return vocab;
    }

    @Test
    void modelTokenizer_loadsTheFolder_withTheVocabularyAndSpecialTokenIds() throws IOException {
        BpeVocabulary vocab = trainAndWrite();
        try (ModelTokenizer tokenizer = ModelTokenizer.load(dir)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(vocab.size());
            assertThat(tokenizer.bosTokenId()).hasValue(vocab.id("<|begin_of_text|>"));
            assertThat(tokenizer.eosTokenIds()).containsExactly(vocab.id("<|eot_id|>"));
            assertThat(tokenizer.hasChatTemplate()).isTrue();
            assertThat(tokenizer.encodePrompt("hello")[0]).isEqualTo(vocab.id("<|begin_of_text|>"));
        }
    }

    @Test
    void chatIsRenderedAndEncoded_withEachSpecialTokenAsOneId() throws IOException {
        BpeVocabulary vocab = trainAndWrite();
        BpeEncoder reference = new BpeEncoder(vocab);
        List<ChatMessage> chat = List.of(ChatMessage.system("Answer in JSON."), ChatMessage.user("The gateway sends the report."));
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nAnswer in JSON.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nThe gateway sends the report.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        try (ModelTokenizer tokenizer = ModelTokenizer.load(dir)) {
            int[] ids = tokenizer.encodeChat(chat);
            assertThat(ids).containsExactly(reference.encode(expected));
            assertThat(ids[0]).isEqualTo(vocab.id("<|begin_of_text|>"));
            assertThat(ids).contains(vocab.id("<|start_header_id|>"), vocab.id("<|end_header_id|>"), vocab.id("<|eot_id|>"));
            assertThat(tokenizer.decode(ids)).isEqualTo("system\n\nAnswer in JSON.user\n\nThe gateway sends the report.assistant\n\n");
        }
    }

    @Test
    void chatTemplate_rendersLlama3Turns() {
        ChatTemplate template = ChatTemplate.compile(TokenizerFiles.CHAT_TEMPLATE, Map.of("bos_token", "<|begin_of_text|>"));
        assertThat(template.render(List.of(ChatMessage.user("  Hi  "), ChatMessage.assistant("Hello.")), false))
                .isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>");
    }

    @Test
    void writtenChatTemplate_isTheOneTheRuntimesFixtureModelUses() throws IOException {
        trainAndWrite();
        ObjectMapper json = new ObjectMapper();
        var written = json.readTree(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON).toFile());
        var fixture = json.readTree(Path.of("models/tiny-random/tokenizer_config.json").toFile());
        assertThat(written.get("chat_template")).isEqualTo(fixture.get("chat_template"));
        assertThat(written.get("bos_token")).isEqualTo(fixture.get("bos_token"));
        assertThat(written.get("eos_token")).isEqualTo(fixture.get("eos_token"));
        assertThat(written.get("model_max_length").intValue()).isEqualTo(512);
    }
}
