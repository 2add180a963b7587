package io.steerguard.runtime.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken model folders fail to load with a message naming the folder, the file and the field. */
class ModelTokenizerLoadTest {

    @TempDir
    Path dir;

    private void assertLoadFails(String... fragments) {
        assertThatThrownBy(() -> ModelTokenizer.load(dir).close())
                .isInstanceOfSatisfying(ModelLoadException.class, e -> {
                    assertThat(e.modelDir()).isEqualTo(dir);
                    assertThat(e.getMessage()).startsWith(dir.toString()).contains(fragments);
                });
    }

    @Test
    void missingFolder_isNamed() {
        dir = dir.resolve("nope");
        assertLoadFails("does not exist");
    }

    @Test
    void missingTokenizerJson_isNamed() {
        assertLoadFails("tokenizer.json is missing");
    }

    @Test
    void tokenizerJsonThatIsNotJson_isNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{ not json");
        assertLoadFails("tokenizer.json is not valid JSON");
    }

    @Test
    void tokenizerJsonWithoutVocabulary_namesTheField() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertLoadFails("tokenizer.json: model.vocab is missing");
    }

    @Test
    void tokenizerJsonTheNativeTokenizerRejects_isNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Nonsense\", \"vocab\": {\"a\": 0}}}");
        assertLoadFails("tokenizer.json cannot be loaded by the Hugging Face tokenizer");
    }

    @Test
    void tokenizerConfigThatIsNotJson_isNamed() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "[1, 2");
        assertLoadFails("tokenizer_config.json is not valid JSON");
    }

    @Test
    void bosTokenOfTheWrongType_namesTheField() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": 5}");
        assertLoadFails("tokenizer_config.json: bos_token must be a string or an object");
    }

    @Test
    void eosTokenMissingFromTheVocabulary_namesTheFieldAndToken() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"<|nope|>\"}}");
        assertLoadFails("tokenizer_config.json: eos_token \"<|nope|>\" is not a token in tokenizer.json");
    }

    @Test
    void addBosTokenThatIsNotBoolean_namesTheField() throws IOException {
        TestTokenizers.writeSentencePiece(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"yes\"}");
        assertLoadFails("tokenizer_config.json: add_bos_token must be true or false");
    }

    @Test
    void chatTemplateThatDoesNotParse_namesTheField() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% if messages %}x\"}");
        assertLoadFails("tokenizer_config.json: chat_template", "does not parse");
    }

    @Test
    void chatTemplateOfTheWrongShape_namesTheField() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": [{\"name\": 1}]}");
        assertLoadFails("tokenizer_config.json: chat_template entries must be objects");
    }

    @Test
    void generationConfigEosOfTheWrongType_namesTheField() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, \"two\"]}");
        assertLoadFails("generation_config.json: eos_token_id must be an integer or a list of integers");
    }

    @Test
    void optionalFilesMayBeAbsent() throws IOException {
        TestTokenizers.writeByteLevel(dir);
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.delete(dir.resolve("generation_config.json"));
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.hasChatTemplate()).isFalse();
            assertThat(tok.eosTokenIds()).isEmpty();
            assertThat(tok.decode(tok.encode("Hello"))).isEqualTo("Hello");
        }
    }
}
