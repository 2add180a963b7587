package io.steerguard.derivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContrastiveDataTest {

    @Test
    void promptPairs_andCompletions_areTellApartByTheirPromptField() {
        ContrastiveData pairs = ContrastiveData.parseJsonl("""
                {"id": "a", "positive": "p1", "negative": "n1"}

                {"positive": "p2", "negative": "n2"}
                """, "pairs.jsonl");
        ContrastiveData completions = ContrastiveData.parseJsonl(
                "{\"prompt\": \"q\", \"positive\": \"yes\", \"negative\": \"no\"}\n", "c.jsonl");

        assertThat(pairs.shape()).isEqualTo(ContrastiveData.Shape.PROMPT_PAIRS);
        assertThat(pairs.examples()).containsExactly(new ContrastiveData.Example(null, "p1", "n1"),
                new ContrastiveData.Example(null, "p2", "n2"));
        assertThat(completions.shape()).isEqualTo(ContrastiveData.Shape.COMPLETIONS);
        assertThat(completions.examples().get(0).prompt()).isEqualTo("q");
        assertThat(pairs.limit(1).examples()).hasSize(1);
    }

    @Test
    void problems_nameTheFileAndLine() {
        assertThatThrownBy(() -> ContrastiveData.parseJsonl("""
                {"positive": "p", "negative": "n"}
                {"prompt": "q", "positive": "p", "negative": "n"}
                """, "mixed.jsonl")).hasMessageContaining("mixed.jsonl:2: mixes shapes");
        assertThatThrownBy(() -> ContrastiveData.parseJsonl("{\"positive\": \"p\"}", "f.jsonl"))
                .hasMessageContaining("f.jsonl:1: 'negative' must be a non-empty string");
        assertThatThrownBy(() -> ContrastiveData.parseJsonl("{\"positive\": \"p\", ", "g.jsonl"))
                .hasMessageContaining("g.jsonl:1: not valid JSON");
        assertThatThrownBy(() -> ContrastiveData.parseJsonl("\n\n", "empty.jsonl"))
                .hasMessageContaining("empty.jsonl: no examples");
    }

    @Test
    void parseField_readsOneStringPerLine() {
        assertThat(ContrastiveData.parseField("{\"instruction\": \"a\"}\n{\"instruction\": \"b\"}\n", "instruction", "f"))
                .isEqualTo(List.of("a", "b"));
        assertThatThrownBy(() -> ContrastiveData.parseField("{\"prompt\": \"a\"}", "instruction", "h.jsonl"))
                .hasMessageContaining("h.jsonl:1: 'instruction'");
    }
}
