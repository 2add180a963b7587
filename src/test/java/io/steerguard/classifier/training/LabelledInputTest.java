package io.steerguard.classifier.training;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelledInputTest {

    @Test
    void csv_handlesQuotedCommasQuotesAndLineBreaks_inAnyColumnOrder() {
        List<LabelledInput> rows = LabelledInput.parseCsv("label,response,prompt\r\n"
                + "refused,\"No, I won't.\",\"say \"\"hi\"\"\"\r\n"
                + "0,\"line one\nline two\",p2\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(new LabelledInput("say \"hi\"", "No, I won't.", Optional.of(true)));
        assertThat(rows.get(1).response()).isEqualTo("line one\nline two");
        assertThat(rows.get(1).label()).contains(false);
    }

    @Test
    void csv_withoutResponseColumn_orWithRaggedRows_isRejected() {
        assertThatThrownBy(() -> LabelledInput.parseCsv("prompt,answer\na,b\n")).hasMessageContaining("'response'");
        assertThatThrownBy(() -> LabelledInput.parseCsv("prompt,response\na,b,c\n")).hasMessageContaining("3 fields");
        assertThatThrownBy(() -> LabelledInput.parseCsv("prompt,response\na,\"b\n")).hasMessageContaining("quoted");
    }

    @Test
    void jsonl_acceptsLabelOrRefusedKeys_andNamesTheBadLine() {
        List<LabelledInput> rows = LabelledInput.parseJsonl(
                "{\"prompt\":\"p\",\"response\":\"r\",\"label\":\"yes\"}\n{\"response\":\"r2\",\"refused\":false}\n{\"response\":\"r3\"}");
        assertThat(rows).extracting(LabelledInput::label).containsExactly(Optional.of(true), Optional.of(false), Optional.empty());
        assertThatThrownBy(() -> LabelledInput.parseJsonl("{\"response\":\"ok\"}\n{\"prompt\":\"no response\"}"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> LabelledInput.parseJsonl("{\"response\":\"ok\",\"label\":\"maybe\"}"))
                .hasMessageContaining("label must be true/false");
    }
}
