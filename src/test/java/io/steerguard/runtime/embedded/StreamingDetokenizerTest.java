package io.steerguard.runtime.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingDetokenizerTest {

    static ModelTokenizer byteLevel;
    static ModelTokenizer sentencePiece;

    @BeforeAll
    static void load() throws IOException {
        Path root = Files.createTempDirectory("detokenizer-test");
        TestTokenizers.writeByteLevel(root.resolve("bl"));
        TestTokenizers.writeSentencePiece(root.resolve("sp"));
        byteLevel = ModelTokenizer.load(root.resolve("bl"));
        sentencePiece = ModelTokenizer.load(root.resolve("sp"));
    }

    @AfterAll
    static void close() {
        byteLevel.close();
        sentencePiece.close();
    }

    static Stream<Object[]> cases() {
        List<String> texts = List.of("Hello world", " leading space kept?", "café 世界 😀👍🏽🇫🇷 done",
                "😀", "a\n\nb\tc", "Ελληνικά and 日本語");
        return Stream.of(byteLevel, sentencePiece).flatMap(t -> texts.stream().map(s -> new Object[] {t, s}));
    }

    private static List<String> stream(ModelTokenizer tok, int[] ids) {
        StreamingDetokenizer d = tok.newDetokenizer();
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            chunks.add(d.push(id));
        }
        chunks.add(d.flush());
        return chunks;
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("cases")
    void tokenByToken_emitsExactlyTheDecodedText_withNoBrokenCharacters(ModelTokenizer tok, String text) {
        int[] ids = tok.encode(text);
        List<String> chunks = stream(tok, ids);
        assertThat(String.join("", chunks)).isEqualTo(tok.decode(ids));
        assertThat(chunks).noneMatch(c -> c.indexOf('\uFFFD') >= 0);
        assertThat(chunks).noneMatch(c -> !c.isEmpty() && Character.isLowSurrogate(c.charAt(0)));
        assertThat(chunks.get(chunks.size() - 1)).as("nothing left for flush").isEmpty();
    }

    @Test
    void emojiSplitAcrossFourByteTokens_isHeldUntilComplete() {
        for (ModelTokenizer tok : List.of(byteLevel, sentencePiece)) {
            // Four byte tokens; SentencePiece puts its word-start "▁" token first.
            int[] ids = tok.encode("😀");
            assertThat(ids.length).isBetween(4, 5);
            StreamingDetokenizer d = tok.newDetokenizer();
            for (int i = 0; i < ids.length - 1; i++) {
                assertThat(d.push(ids[i])).isEmpty();
            }
            assertThat(d.push(ids[ids.length - 1])).isEqualTo("😀");
        }
    }

    @Test
    void sentencePieceWordStart_hasNoStraySpaceAtTheVeryStart_butKeepsInnerSpaces() {
        int[] ids = sentencePiece.encode("Hello world");
        assertThat(sentencePiece.decode(new int[] {ids[0]})).isEqualTo("Hello");
        List<String> chunks = stream(sentencePiece, ids);
        assertThat(chunks.get(0)).isEqualTo("Hello");
        assertThat(String.join("", chunks)).isEqualTo("Hello world");
    }

    @Test
    void specialTokensBetweenWords_keepTheSpaceOfTheNextWord() {
        int[] hello = sentencePiece.encode("Hello");
        int[] world = sentencePiece.encode("Hello world");
        int[] ids = {hello[0], TestTokenizers.SP_EOS, world[world.length - 1]};
        assertThat(String.join("", stream(sentencePiece, ids))).isEqualTo(sentencePiece.decode(ids)).isEqualTo("Hello world");
        int[] startsWithSpecial = {TestTokenizers.SP_BOS, hello[0]};
        assertThat(String.join("", stream(sentencePiece, startsWithSpecial))).isEqualTo("Hello");
    }

    @Test
    void unfinishedCharacter_isReleasedByFlush_asTheDecoderRendersIt() {
        int[] ids = byteLevel.encode("😀");
        StreamingDetokenizer d = byteLevel.newDetokenizer();
        assertThat(d.push(ids[0])).isEmpty();
        assertThat(d.push(ids[1])).isEmpty();
        assertThat(d.flush()).isEqualTo(byteLevel.decode(new int[] {ids[0], ids[1]})).contains("\uFFFD");
    }

    @Test
    void randomByteLevelIds_evenInvalidUtf8_streamToTheSameTextAsOneDecode() {
        SplittableRandom r = new SplittableRandom(2024);
        for (int round = 0; round < 300; round++) {
            int[] ids = r.ints(r.nextInt(1, 40), 0, byteLevel.vocabSize()).toArray();
            assertThat(String.join("", stream(byteLevel, ids)))
                    .as("ids %s", java.util.Arrays.toString(ids)).isEqualTo(byteLevel.decode(ids));
        }
    }

    @Test
    void randomValidTextWithSpecialTokensMixedIn_streamsToTheSameTextAsOneDecode() {
        String[] pieces = {"Hello", " world", "é", " 世界", "😀", "👍🏽", " the", "\n", " Ελ", "日本", "!", " "};
        SplittableRandom r = new SplittableRandom(7);
        for (ModelTokenizer tok : List.of(byteLevel, sentencePiece)) {
            int[] specials = tok == byteLevel
                    ? new int[] {TestTokenizers.LLAMA3_EOT, TestTokenizers.LLAMA3_BEGIN_OF_TEXT}
                    : new int[] {TestTokenizers.SP_EOS, TestTokenizers.SP_BOS};
            for (int round = 0; round < 200; round++) {
                List<Integer> ids = new ArrayList<>();
                for (int k = r.nextInt(1, 12); k > 0; k--) {
                    if (r.nextInt(5) == 0) {
                        ids.add(specials[r.nextInt(specials.length)]);
                    }
                    for (int id : tok.encode(pieces[r.nextInt(pieces.length)])) {
                        ids.add(id);
                    }
                }
                int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
                List<String> chunks = stream(tok, array);
                assertThat(String.join("", chunks)).as("ids %s", ids).isEqualTo(tok.decode(array));
                assertThat(chunks).noneMatch(c -> c.indexOf('\uFFFD') >= 0);
            }
        }
    }

    @Test
    void longStreams_compactTheirBuffer_withoutChangingTheText() {
        String text = "the world is in Hello café 😀 ".repeat(200);
        int[] ids = sentencePiece.encode(text);
        assertThat(ids.length).isGreaterThan(600);
        assertThat(String.join("", stream(sentencePiece, ids))).isEqualTo(text.substring(0, text.length()));
    }
}
