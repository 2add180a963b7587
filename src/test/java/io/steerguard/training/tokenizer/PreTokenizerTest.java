package io.steerguard.training.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pieces as the GPT-2 pattern of HF's ByteLevel pre-tokenizer cuts them, specials cut out first. */
class PreTokenizerTest {

    private static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        new PreTokenizer(BpeTrainer.LLAMA3_SPECIAL_TOKENS).split(text, new PreTokenizer.Sink() {
            @Override
            public void word(String piece) {
                pieces.add(piece);
            }

            @Override
            public void special(String token) {
                pieces.add("[" + token + "]");
            }
        });
        return pieces;
    }

    @Test
    void wordsKeepTheirLeadingSpace_andContractionsSplitOff() {
        assertThat(split("Hello world, it's 2026!")).containsExactly("Hello", " world", ",", " it", "'s", " 2026", "!");
    }

    @Test
    void whitespaceRun_leavesItsLastSpaceToTheNextWord() {
        assertThat(split("a   b\n\n  c  ")).containsExactly("a", "  ", " b", "\n\n ", " c", "  ");
    }

    @Test
    void unicodeWhiteSpace_isWhiteSpace() {
        assertThat(split("x\u00A0\u00A0y!\u3000")).containsExactly("x", "\u00A0", "\u00A0", "y", "!", "\u3000");
    }

    @Test
    void specialTokens_areCutOutWhole_andTheTextAroundThemSplitAlone() {
        assertThat(split("hi <|eot_id|>  there<|start_header_id|>"))
                .containsExactly("hi", " ", "[<|eot_id|>]", " ", " there", "[<|start_header_id|>]");
    }
}
