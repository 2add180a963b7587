package io.steerguard.training.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The written tokenizer.json loaded by the Hugging Face tokenizers library (through DJL, as the
 * embedded runtime loads it) encodes and decodes as the trainer and the reference encoder expect.
 */
class HuggingFaceCompatibilityTest {

    @TempDir
    static Path dir;

    private static BpeVocabulary vocab;
    private static BpeEncoder reference;
    private static HuggingFaceTokenizer hf;

    /** Texts the corpus never saw: every script, whitespace runs, controls, specials mid-text. */
    private static final List<String> ARBITRARY = List.of(
            "Hello, world!",
            "  leading and trailing spaces   ",
            "tabs\tand\t\tnewlines\n\n\nand\r\nCRLF",
            "a  b   c    d\n \n  \t x",
            "Crème brûlée, naïve façade, Ångström, Øresund, Straße",
            "emoji 🙂🚀👩‍👩‍👧 and flags 🇫🇷, ZWJ\u200Dhere",
            "東京は日本の首都です。 한국어 텍스트. Ελληνικά. русский текст",
            "non-breaking\u00A0space and em\u2003space and\u3000ideographic",
            "Unicode white space runs x\u00A0\u00A0y and punctuation!\u3000\u3000then\u2028line",
            "numbers 3.14159, 1,000,000 and 2026-11-27T20:44:12Z",
            "it's they'll we've I'm you'd she's DON'T",
            "{\"json\": [1, 2, {\"k\": null}], \"s\": \"q\\\"uote\"}",
            "combining e\u0301 and control \u0001\u001F\u007F bytes",
            "<|eot_id|> at the start and the end <|eot_id|>",
            "glued<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
            "",
            " ",
            "\n");

    @BeforeAll
    static void trainAndLoad() throws IOException {
        vocab = new BpeTrainer(1500).train(SyntheticCorpus.paragraphs(3, 300_000));
        TokenizerFiles.write(dir, vocab);
        reference = new BpeEncoder(vocab);
        try (InputStream json = Files.newInputStream(dir.resolve(TokenizerFiles.TOKENIZER_JSON))) {
            hf = HuggingFaceTokenizer.newInstance(json,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        }
    }

    @AfterAll
    static void close() {
        if (hf != null) {
            hf.close();
        }
    }

    private static int[] hfIds(String text) {
        return Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    void arbitraryText_roundTripsExactly_throughTheHuggingFaceTokenizer() {
        for (String text : ARBITRARY) {
            long[] ids = hf.encode(text, false, false).getIds();
            assertThat(hf.decode(ids, false)).as("%s", text).isEqualTo(text);
        }
    }

    @Test
    void referenceEncoder_givesTheSameIdsAsTheHuggingFaceTokenizer() {
        List<String> texts = new ArrayList<>(SyntheticCorpus.sentences(99, 400));
        texts.addAll(ARBITRARY);
        for (String text : texts) {
            assertThat(reference.encode(text)).as("%s", text).containsExactly(hfIds(text));
        }
    }

    @Test
    void unicodeWhiteSpace_isSplitAsTheHuggingFaceTokenizerSplitsIt() throws IOException {
        // Trained on runs of non-ASCII white space, the merges reveal where the trainer split:
        // a merge across a split the library makes would give different ids.
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            corpus.add("x\u00A0\u00A0y wide!\u3000\u3000gap \u2003\u2003\u2003z\u2028\u2028end\u0085\u0085 \u00A0w");
        }
        BpeVocabulary whitespace = new BpeTrainer(320).train(corpus);
        Path folder = dir.resolve("whitespace");
        TokenizerFiles.write(folder, whitespace);
        BpeEncoder encoder = new BpeEncoder(whitespace);
        try (InputStream json = Files.newInputStream(folder.resolve(TokenizerFiles.TOKENIZER_JSON));
             HuggingFaceTokenizer library = HuggingFaceTokenizer.newInstance(json,
                     Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            long[] ids = library.encode(corpus.get(0), false, false).getIds();
            assertThat(encoder.encode(corpus.get(0))).containsExactly(
                    Arrays.stream(ids).mapToInt(Math::toIntExact).toArray());
            assertThat(library.decode(ids, false)).isEqualTo(corpus.get(0));
        }
    }

    @Test
    void referenceEncoder_decodesItsOwnIdsBackToTheText() {
        for (String text : ARBITRARY) {
            assertThat(reference.decode(reference.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void specialTokens_mapToSingleIds_evenGluedToText() {
        for (String special : vocab.specialTokens()) {
            assertThat(hfIds(special)).as(special).containsExactly(vocab.id(special));
        }
        // A special token cuts the text: each side is encoded as if it stood alone.
        int[] glued = hfIds("café<|eot_id|> gateway");
        int[] expected = java.util.stream.IntStream.concat(java.util.stream.IntStream.concat(
                Arrays.stream(hfIds("café")), java.util.stream.IntStream.of(vocab.id("<|eot_id|>"))),
                Arrays.stream(hfIds(" gateway"))).toArray();
        assertThat(glued).containsExactly(expected);
    }

    @Test
    void addingSpecialTokens_putsBeginOfTextFirst() {
        long[] ids = hf.encode("hello", true, false).getIds();
        assertThat(ids[0]).isEqualTo(vocab.id(TokenizerFiles.BOS_TOKEN));
        assertThat(ids).hasSize(1 + hfIds("hello").length);
    }

    @Test
    void frequentCorpusWords_areSingleTokens_inTheHuggingFaceTokenizer() {
        assertThat(hfIds(" gateway")).containsExactly(vocab.id("Ġgateway"));
        String sentence = SyntheticCorpus.sentences(5, 1).get(0);
        assertThat(hfIds(sentence).length).isLessThan(sentence.getBytes(StandardCharsets.UTF_8).length / 3);
    }
}
