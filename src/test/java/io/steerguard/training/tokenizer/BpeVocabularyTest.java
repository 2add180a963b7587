package io.steerguard.training.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A vocabulary that could not have come from training is rejected with the reason. */
class BpeVocabularyTest {

    private static List<String> bytes() {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
        }
        return tokens;
    }

    @Test
    void tokenThatNoMergeProduces_isRejected() {
        List<String> tokens = bytes();
        tokens.add("ab");
        tokens.add("<s>");
        assertThatThrownBy(() -> new BpeVocabulary(tokens, List.of(), List.of("<s>")))
                .hasMessageContaining("exactly the merge results");
    }

    @Test
    void mergeOfUnknownTokens_isRejected() {
        List<String> tokens = bytes();
        tokens.add("abc");
        assertThatThrownBy(() -> new BpeVocabulary(tokens, List.of(new Merge("ab", "c")), List.of()))
                .hasMessageContaining("merges: \"ab c\"");
    }

    @Test
    void specialTokensNotAtTheEnd_areRejected() {
        List<String> tokens = bytes();
        tokens.add("<s>");
        tokens.add("ab");
        assertThatThrownBy(() -> new BpeVocabulary(tokens, List.of(new Merge("a", "b")), List.of("<s>")))
                .hasMessageContaining("must end with specialTokens");
    }

    @Test
    void mergePartWithASpace_isRejected() {
        assertThatThrownBy(() -> new Merge("a b", "c")).hasMessageContaining("must not contain a space");
    }
}
