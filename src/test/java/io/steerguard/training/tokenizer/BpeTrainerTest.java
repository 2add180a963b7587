package io.steerguard.training.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the trainer learns from a corpus, and what it refuses. */
class BpeTrainerTest {

    private static final int SPECIALS = BpeTrainer.LLAMA3_SPECIAL_TOKENS.size();

    @TempDir
    Path dir;

    @Test
    void vocabSmallerThanBytesAndSpecials_isRejected_namingTheArgument() {
        assertThatThrownBy(() -> new BpeTrainer(256 + SPECIALS - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabSize must be at least " + (256 + SPECIALS))
                .hasMessageContaining("was " + (256 + SPECIALS - 1));
    }

    @Test
    void vocabOfExactlyBytesAndSpecials_learnsNoMerges() {
        BpeVocabulary vocab = new BpeTrainer(256 + SPECIALS).train(List.of("hello hello hello"));
        assertThat(vocab.merges()).isEmpty();
        assertThat(vocab.size()).isEqualTo(256 + SPECIALS);
    }

    @Test
    void mostFrequentPair_isMergedFirst_andMergedTokensMergeFurther() {
        BpeVocabulary vocab = new BpeTrainer(256 + 3 + SPECIALS).train(List.of("abab", "abab", "cd"));
        assertThat(vocab.merges()).extracting(Merge::toString).containsExactly("a b", "ab ab", "c d");
        assertThat(vocab.tokens().subList(256, 259)).containsExactly("ab", "abab", "cd");
        assertThat(vocab.tokens().subList(259, vocab.size())).isEqualTo(BpeTrainer.LLAMA3_SPECIAL_TOKENS);
    }

    @Test
    void pairsWithEqualCounts_areMergedInOrderOfTheirIds() {
        // (x,y), (b,a) and (b,c) all occur once: 'b' (98) < 'x' (120), then 'a' < 'c'.
        BpeVocabulary vocab = new BpeTrainer(256 + 3 + SPECIALS).train(List.of("xy", "bc", "ba"));
        assertThat(vocab.merges()).extracting(Merge::toString).containsExactly("b a", "b c", "x y");
    }

    @Test
    void piecesAreSplitByThePreTokenizer_soNoTokenSpansTwoWords() {
        BpeVocabulary vocab = new BpeTrainer(400).train(List.of("hello world hello world hello world"));
        assertThat(vocab.tokens()).contains("hello", "Ġworld");
        assertThat(vocab.tokens()).noneMatch(t -> t.contains("oĠw") || t.endsWith("Ġ") && t.length() > 1);
    }

    @Test
    void specialTokensInTexts_areNeverMerged() {
        String text = "<|eot_id|><|eot_id|>hi<|start_header_id|>user<|end_header_id|>";
        BpeVocabulary vocab = new BpeTrainer(300).train(List.of(text, text, text));
        assertThat(vocab.merges()).noneMatch(m -> m.result().contains("|") || m.result().contains("eot"));
        assertThat(vocab.tokens()).contains("hi", "user");
    }

    @Test
    void corpusThatRunsOutOfPairs_givesASmallerVocabulary() {
        BpeVocabulary vocab = new BpeTrainer(1000).train(List.of("abc"));
        assertThat(vocab.merges()).extracting(Merge::toString).containsExactly("a b", "ab c");
        assertThat(vocab.size()).isEqualTo(256 + 2 + SPECIALS);
    }

    @Test
    void nonAsciiText_isLearnedAsUtf8Bytes() {
        BpeVocabulary vocab = new BpeTrainer(300).train(List.of("café café café 🙂🙂"));
        assertThat(vocab.tokens()).contains(ByteLevel.encode("café"), ByteLevel.encode(" café"), ByteLevel.encode("🙂"));
    }

    @Test
    void trainedCorpus_encodesInFarFewerTokensThanBytes_andAFrequentWordIsOneToken() {
        List<String> corpus = SyntheticCorpus.paragraphs(7, 200_000);
        BpeVocabulary vocab = new BpeTrainer(1024).train(corpus);
        BpeEncoder encoder = new BpeEncoder(vocab);
        long bytes = 0;
        long tokens = 0;
        for (String text : corpus) {
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            tokens += encoder.encode(text).length;
        }
        assertThat(vocab.size()).isEqualTo(1024);
        assertThat((double) bytes / tokens).isGreaterThan(3.5);
        assertThat(encoder.encode(" gateway")).containsExactly(vocab.id("Ġgateway"));
        assertThat(encoder.encode(" assistant")).hasSize(1);
    }

    @Test
    void trainingTwice_givesByteIdenticalFiles() throws IOException {
        List<String> corpus = SyntheticCorpus.paragraphs(11, 50_000);
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        TokenizerFiles.write(first, new BpeTrainer(600).train(corpus));
        TokenizerFiles.write(second, new BpeTrainer(600).train(List.copyOf(corpus)));
        for (String file : List.of(TokenizerFiles.TOKENIZER_JSON, TokenizerFiles.TOKENIZER_CONFIG_JSON)) {
            assertThat(Files.readAllBytes(second.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    @Test
    void vocabularyWithoutTheChatTemplatesSpecials_cannotBeWritten() {
        BpeVocabulary vocab = new BpeTrainer(258, List.of("<s>", "</s>")).train(List.of("ab"));
        assertThatThrownBy(() -> TokenizerFiles.write(dir, vocab))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocab must have the special token <|begin_of_text|>");
    }
}
