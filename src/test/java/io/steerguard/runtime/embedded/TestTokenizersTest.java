package io.steerguard.runtime.embedded;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture folders load in DJL's Hugging Face tokenizer exactly as written. */
class TestTokenizersTest {

    private static final Map<String, String> RAW = Map.of(
            "addSpecialTokens", "false", "truncation", "false", "padding", "false");

    @Test
    void byteLevelFixture_roundTripsUnicode_andMergesKnownWords(@TempDir Path dir) throws IOException {
        int vocab = TestTokenizers.writeByteLevel(dir);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir, RAW)) {
            String text = "Hello world, the café 世界 😀!";
            Encoding enc = tok.encode(text, false, false);
            assertThat(Arrays.stream(enc.getIds()).allMatch(id -> id >= 0 && id < vocab)).isTrue();
            assertThat(enc.getTokens()).contains("Hello", "Ġworld", "Ġthe", "Ã©");
            assertThat(tok.decode(enc.getIds(), true)).isEqualTo(text);
            long[] withBos = tok.encode(text, true, false).getIds();
            assertThat(withBos[0]).isEqualTo(TestTokenizers.LLAMA3_BEGIN_OF_TEXT);
            assertThat(Arrays.copyOfRange(withBos, 1, withBos.length)).isEqualTo(enc.getIds());
            long[] special = tok.encode("<|eot_id|>", false, false).getIds();
            assertThat(special).containsExactly(TestTokenizers.LLAMA3_EOT);
        }
    }

    @Test
    void chatMlFixture_splitsItsSpecialTokens(@TempDir Path dir) throws IOException {
        TestTokenizers.writeChatMl(dir);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir, RAW)) {
            long[] ids = tok.encode("<|im_start|>user\nhi<|im_end|>", false, false).getIds();
            assertThat(ids[0]).isEqualTo(TestTokenizers.CHATML_IM_END - 1);
            assertThat(ids[ids.length - 1]).isEqualTo(TestTokenizers.CHATML_IM_END);
            assertThat(tok.decode(ids, true)).isEqualTo("user\nhi");
        }
    }

    @Test
    void sentencePieceFixture_fallsBackToBytes_andStripsTheLeadingSpace(@TempDir Path dir) throws IOException {
        int vocab = TestTokenizers.writeSentencePiece(dir);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir, RAW)) {
            String text = "Hello world, the café 世界 😀!";
            Encoding enc = tok.encode(text, false, false);
            assertThat(Arrays.stream(enc.getIds()).allMatch(id -> id >= 0 && id < vocab)).isTrue();
            assertThat(enc.getTokens()).contains("▁Hello", "▁world", "▁the", "世界", "<0xF0>", "<0x9F>");
            assertThat(tok.decode(enc.getIds(), true)).isEqualTo(text);
            assertThat(tok.encode(text, true, false).getIds()[0]).isEqualTo(TestTokenizers.SP_BOS);
            assertThat(tok.encode("<s>[INST] hi [/INST]", false, false).getTokens())
                    .startsWith("<s>", "[INST]");
        }
    }
}
