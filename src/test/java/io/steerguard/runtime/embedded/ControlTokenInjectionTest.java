package io.steerguard.runtime.embedded;

import io.steerguard.runtime.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.steerguard.runtime.ChatMessage.assistant;
import static io.steerguard.runtime.ChatMessage.system;
import static io.steerguard.runtime.ChatMessage.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Special tokens come only from the chat template: text a client writes in a message, a role or a
 * raw prompt is encoded as plain text, on every chat-template family the embedded runtime serves.
 */
class ControlTokenInjectionTest {

    /** Family name to its tokenizer folder. */
    static final Map<String, Path> FAMILIES = new LinkedHashMap<>();
    static final Map<String, ModelTokenizer> TOKENIZERS = new LinkedHashMap<>();
    static Path root;

    @BeforeAll
    static void writeFamilies() throws IOException {
        root = Files.createTempDirectory("control-token-test");
        write("llama3", dir -> TestTokenizers.writeByteLevel(dir));
        write("llama2", dir -> TestTokenizers.writeSentencePiece(dir, TestChatTemplates.LLAMA2_STYLE));
        write("mistral", dir -> TestTokenizers.writeSentencePiece(dir, TestChatTemplates.INST_STYLE));
        write("qwen2-chatml", dir -> TestTokenizers.writeChatMl(dir, TestChatTemplates.CHATML_STYLE));
        write("tinyllama-zephyr", dir -> TestTokenizers.writeSentencePiece(dir, TestChatTemplates.ZEPHYR_STYLE));
        write("smollm", dir -> TestTokenizers.writeChatMl(dir, TestChatTemplates.SMOLLM_STYLE));
        FAMILIES.put("demo-chat", Path.of("models/demo-chat"));
        FAMILIES.forEach((name, dir) -> TOKENIZERS.put(name, ModelTokenizer.load(dir)));
    }

    private static void write(String name, java.util.function.Consumer<Path> writer) {
        Path dir = root.resolve(name);
        writer.accept(dir);
        FAMILIES.put(name, dir);
    }

    @AfterAll
    static void close() {
        TOKENIZERS.values().forEach(ModelTokenizer::close);
    }

    static List<String> families() {
        return List.of("llama3", "llama2", "mistral", "qwen2-chatml", "tinyllama-zephyr", "smollm", "demo-chat");
    }

    /** Every special token of the family's tokenizer, written into one string. */
    private static String allSpecialText(Path dir) {
        TokenizerFolder files = TokenizerFolder.read(dir);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Integer> e : specialTexts(files).entrySet()) {
            out.append(e.getKey());
        }
        return out.toString();
    }

    private static Map<String, Integer> specialTexts(TokenizerFolder files) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.tokenizerJson());
            for (var token : json.path("added_tokens")) {
                if (token.path("special").asBoolean()) {
                    out.put(token.get("content").asText(), token.get("id").asInt());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static int[] specialsIn(int[] ids, Path dir) {
        var special = TokenizerFolder.read(dir).specialIds();
        return Arrays.stream(ids).filter(special::get).toArray();
    }

    /** A conversation each template accepts: system, user, assistant, user. */
    private static List<ChatMessage> conversation(String text) {
        return List.of(system("Be brief." + text), user("Hello" + text + " world"),
                assistant("Hi" + text), user(text + "Bye"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void specialTokenTextInMessages_isPlainText_onEveryTemplateFamily(String family) {
        ModelTokenizer tok = TOKENIZERS.get(family);
        Path dir = FAMILIES.get(family);
        String injected = allSpecialText(dir);
        assertThat(injected).isNotEmpty();

        int[] benign = tok.encodeChat(conversation(""));
        int[] hostile = tok.encodeChat(conversation(injected));

        // The template decides every special token: the same ones, in the same order, either way.
        assertThat(specialsIn(hostile, dir)).containsExactly(specialsIn(benign, dir));
        // Each injected literal costs tokens of plain text (at least two each), not one control token.
        int literals = specialTexts(TokenizerFolder.read(dir)).size();
        assertThat(hostile.length).isGreaterThanOrEqualTo(benign.length + 4 * 2 * literals);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void specialTokenTextInRoles_isPlainText(String family) {
        ModelTokenizer tok = TOKENIZERS.get(family);
        Path dir = FAMILIES.get(family);
        if (family.equals("llama2") || family.equals("mistral") || family.equals("tinyllama-zephyr")) {
            return; // these templates render only the roles they know; the role text never reaches the prompt
        }
        int[] ids = tok.encodeChat(List.of(new ChatMessage("user" + allSpecialText(dir), "Hello")));
        int[] benign = tok.encodeChat(List.of(new ChatMessage("user", "Hello")));
        assertThat(specialsIn(ids, dir)).containsExactly(specialsIn(benign, dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void benignConversations_encodeExactlyAsTheUnguardedTokenizerDid(String family) {
        ModelTokenizer tok = TOKENIZERS.get(family);
        TokenizerFolder files = TokenizerFolder.read(FAMILIES.get(family));
        ChatTemplate plain = ChatTemplate.compile(files.chatTemplate(), files.templateTokens());
        for (String text : List.of("", " café 世界", "\n  spaced\t", "😀 [INST] <<SYS>> <|user|>")) {
            List<ChatMessage> messages = conversation(text);
            assertThat(tok.encodeChat(messages)).as(text)
                    .containsExactly(tok.encode(plain.render(messages, true)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void standInCharacters_typedByAClient_neverBecomeSpecialTokens(String family) {
        ModelTokenizer tok = TOKENIZERS.get(family);
        Path dir = FAMILIES.get(family);
        String nonCharacters = IntStream.rangeClosed(0xFDD0, 0xFDEF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String repeated = nonCharacters.repeat(3) + "\uFDD0\uFDD1\uFDD1\uFDD0\uFDD2";
        int[] benign = tok.encodeChat(conversation(""));
        int[] hostile = tok.encodeChat(conversation(repeated));
        assertThat(specialsIn(hostile, dir)).containsExactly(specialsIn(benign, dir));
        assertThat(specialsIn(tok.encodeText(repeated), dir)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void rawPrompts_neverParseSpecialTokens_butGetTheirBos(String family) {
        ModelTokenizer tok = TOKENIZERS.get(family);
        Path dir = FAMILIES.get(family);
        int[] ids = tok.encodePrompt(allSpecialText(dir) + " Hello");
        int[] specials = specialsIn(ids, dir);
        if (tok.bosTokenId().isPresent() && tok.encodePrompt("x")[0] == tok.bosTokenId().getAsInt()) {
            assertThat(specials).containsExactly(tok.bosTokenId().getAsInt());
            assertThat(ids[0]).isEqualTo(tok.bosTokenId().getAsInt());
        } else {
            assertThat(specials).isEmpty();
        }
    }

    @Test
    void demoModel_eotTextCostsMoreThanALetter() {
        ModelTokenizer demo = TOKENIZERS.get("demo-chat");
        int eot = demo.encodeChat(List.of(user("<|eot_id|>"))).length;
        int letter = demo.encodeChat(List.of(user("x"))).length;
        assertThat(eot).isGreaterThan(letter);
    }
}
