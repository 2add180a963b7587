package io.steerguard.runtime.embedded;

import io.steerguard.runtime.RuntimeFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.steerguard.runtime.ChatMessage.system;
import static io.steerguard.runtime.ChatMessage.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTokenizerTest {

    static Path root;
    static ModelTokenizer byteLevel;
    static ModelTokenizer sentencePiece;
    static ModelTokenizer chatMl;
    static int byteLevelVocab;
    static int sentencePieceVocab;

    @BeforeAll
    static void load() throws IOException {
        root = Files.createTempDirectory("model-tokenizer-test");
        byteLevelVocab = TestTokenizers.writeByteLevel(root.resolve("llama3-tiny"));
        sentencePieceVocab = TestTokenizers.writeSentencePiece(root.resolve("mistral-tiny"));
        TestTokenizers.writeChatMl(root.resolve("qwen2-tiny"));
        byteLevel = ModelTokenizer.load(root.resolve("llama3-tiny"));
        sentencePiece = ModelTokenizer.load(root.resolve("mistral-tiny"));
        chatMl = ModelTokenizer.load(root.resolve("qwen2-tiny"));
    }

    @AfterAll
    static void close() {
        byteLevel.close();
        sentencePiece.close();
        chatMl.close();
    }

    static final List<String> TEXTS = List.of("Hello world, the is in", "café crème brûlée", "世界 你好，世界",
            "emoji 😀👍🏽 and 🇫🇷 flags", "tabs\tand\nnew lines\n\n  indented", "mixed: naïve Ελληνικά 日本語 🎉!");

    static Stream<ModelTokenizer> tokenizers() {
        return Stream.of(byteLevel, sentencePiece, chatMl);
    }

    static Stream<Object[]> tokenizersAndTexts() {
        return tokenizers().flatMap(t -> TEXTS.stream().map(text -> new Object[] {t, text}));
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("tokenizersAndTexts")
    void encodeThenDecode_givesBackTheText(ModelTokenizer tok, String text) {
        int[] ids = tok.encode(text);
        assertThat(ids).isNotEmpty();
        assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < tok.vocabSize())).isTrue();
        assertThat(tok.decode(ids)).isEqualTo(text);
    }

    @Test
    void encode_addsNoSpecialTokens_butPromptEncodingAddsBosWhereTheModelWantsIt() {
        assertThat(byteLevel.encode("Hello")[0]).isNotEqualTo(TestTokenizers.LLAMA3_BEGIN_OF_TEXT);
        assertThat(byteLevel.encodePrompt("Hello")).startsWith(TestTokenizers.LLAMA3_BEGIN_OF_TEXT)
                .hasSize(byteLevel.encode("Hello").length + 1);
        assertThat(sentencePiece.encode("Hello")[0]).isNotEqualTo(TestTokenizers.SP_BOS);
        assertThat(sentencePiece.encodePrompt("Hello")).containsExactly(TestTokenizers.SP_BOS,
                sentencePiece.encode("Hello")[0]);
        assertThat(chatMl.encodePrompt("Hello")).isEqualTo(chatMl.encode("Hello"));
        // Prompt text is never parsed as special tokens: "<s>" typed in a prompt is three bytes, after the real BOS.
        assertThat(sentencePiece.encodePrompt("<s>Hi")).startsWith(TestTokenizers.SP_BOS)
                .containsOnlyOnce(TestTokenizers.SP_BOS).hasSizeGreaterThan(3);
    }

    @Test
    void longInputs_areNeverTruncated() {
        String text = "the world is in ".repeat(400);
        int[] ids = byteLevel.encode(text);
        assertThat(ids.length).isGreaterThan(512);
        assertThat(byteLevel.decode(ids)).isEqualTo(text);
    }

    @Test
    void bosEosAndVocabularyFacts_comeFromTheConfigFiles() {
        assertThat(byteLevel.vocabSize()).isEqualTo(byteLevelVocab);
        assertThat(sentencePiece.vocabSize()).isEqualTo(sentencePieceVocab);
        assertThat(byteLevel.bosTokenId()).hasValue(TestTokenizers.LLAMA3_BEGIN_OF_TEXT);
        assertThat(byteLevel.eosTokenIds())
                .containsExactlyInAnyOrder(TestTokenizers.LLAMA3_END_OF_TEXT, TestTokenizers.LLAMA3_EOT);
        assertThat(sentencePiece.bosTokenId()).hasValue(TestTokenizers.SP_BOS);
        assertThat(sentencePiece.eosTokenIds()).containsExactly(TestTokenizers.SP_EOS);
        assertThat(chatMl.bosTokenId()).isEmpty();
        assertThat(chatMl.eosTokenIds())
                .containsExactlyInAnyOrder(TestTokenizers.CHATML_IM_END, TestTokenizers.CHATML_ENDOFTEXT);
    }

    @Test
    void decode_skipsSpecialTokens_andUnknownIds() {
        int[] hello = byteLevel.encode("Hello");
        int[] ids = new int[hello.length + 2];
        ids[0] = TestTokenizers.LLAMA3_BEGIN_OF_TEXT;
        System.arraycopy(hello, 0, ids, 1, hello.length);
        ids[ids.length - 1] = TestTokenizers.LLAMA3_EOT;
        assertThat(byteLevel.decode(ids)).isEqualTo("Hello");
        assertThat(byteLevel.decode(new int[] {hello[0], byteLevel.vocabSize() + 10})).isEqualTo("Hello");
        assertThatThrownBy(() -> byteLevel.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeChat_rendersTheTemplate_andMapsItsSpecialTokenTextToIds() {
        int[] ids = byteLevel.encodeChat(List.of(system("Be brief."), user("Hello world")));
        assertThat(ids[0]).isEqualTo(TestTokenizers.LLAMA3_BEGIN_OF_TEXT);
        assertThat(Arrays.stream(ids).filter(id -> id == TestTokenizers.LLAMA3_EOT).count()).isEqualTo(2);
        assertThat(ids[ids.length - 1]).isEqualTo(byteLevel.encode("\n\n")[0]);
        String expected = ChatTemplate.compile(TestChatTemplates.HEADER_STYLE,
                java.util.Map.of("bos_token", "<|begin_of_text|>")).render(List.of(system("Be brief."),
                user("Hello world")), true);
        assertThat(ids).isEqualTo(byteLevel.encode(expected));
    }

    @Test
    void encodeChat_usesTheDefaultOfNamedTemplates_withASingleBos() {
        int[] ids = sentencePiece.encodeChat(List.of(user("Hello")));
        assertThat(ids).startsWith(TestTokenizers.SP_BOS);
        assertThat(Arrays.stream(ids).filter(id -> id == TestTokenizers.SP_BOS).count()).isEqualTo(1);
        assertThat(sentencePiece.decode(ids)).isEqualTo("[INST] Hello [/INST]");
    }

    @Test
    void templateRaise_becomesAnInvalidRequestFault() {
        assertThatThrownBy(() -> sentencePiece.encodeChat(List.of(user("a"), user("b"))))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> {
                    assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST);
                    assertThat(f.getMessage()).isEqualTo(TestChatTemplates.ALTERNATION_ERROR);
                });
    }

    @Test
    void modelWithoutTemplate_rejectsChatAsUnsupported() throws IOException {
        Path dir = root.resolve("plain-base");
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<|begin_of_text|>\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.hasChatTemplate()).isFalse();
            assertThatThrownBy(() -> tok.encodeChat(List.of(user("hi"))))
                    .isInstanceOfSatisfying(RuntimeFault.class, f -> {
                        assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.UNSUPPORTED);
                        assertThat(f.getMessage()).isEqualTo("model plain-base has no chat template; use /v1/completions");
                    });
            assertThat(tok.encodePrompt("Hello")).startsWith(TestTokenizers.LLAMA3_BEGIN_OF_TEXT);
        }
    }

    @Test
    void chatTemplateJinjaFile_isUsed_whenTheConfigHasNone() throws IOException {
        Path dir = root.resolve("jinja-file");
        TestTokenizers.writeChatMl(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        Files.writeString(dir.resolve("chat_template.jinja"), TestChatTemplates.CHATML_STYLE);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.hasChatTemplate()).isTrue();
            assertThat(tok.decode(tok.encodeChat(List.of(user("Hi")))))
                    .isEqualTo("system\nYou are a helpful assistant.\nuser\nHi\nassistant\n");
        }
    }

    @Test
    void concurrentEncodeAndDecode_giveTheSameResultsAsSequentialCalls() throws Exception {
        List<String> texts = TEXTS;
        List<int[]> expected = texts.stream().map(sentencePiece::encode).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        int i = round % texts.size();
                        int[] ids = sentencePiece.encode(texts.get(i));
                        if (!Arrays.equals(ids, expected.get(i)) || !sentencePiece.decode(ids).equals(texts.get(i))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
