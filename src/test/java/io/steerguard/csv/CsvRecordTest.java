package io.steerguard.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CsvRecordTest {

    @Test
    void a_quoted_field_keeps_commas_doubled_quotes_and_line_breaks_and_the_next_record_knows_its_line() {
        List<CsvRecord> records = CsvRecord.parse("a,\"b, \"\"c\"\"\nd\"\r\ne,f");

        assertThat(records).containsExactly(
                new CsvRecord(1, List.of("a", "b, \"c\"\nd")),
                new CsvRecord(3, List.of("e", "f")));
    }

    @Test
    void a_blank_line_is_a_blank_record_and_a_trailing_newline_adds_nothing() {
        List<CsvRecord> records = CsvRecord.parse("x\n\ny\n");

        assertThat(records).extracting(CsvRecord::blank).containsExactly(false, true, false);
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void text_after_a_closing_quote_is_rejected_with_its_line() {
        assertThatThrownBy(() -> CsvRecord.parse("ok\n\"quoted\"tail,x"))
                .isInstanceOfSatisfying(CsvSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).contains("after a closing quote");
                });
    }

    @Test
    void a_quote_never_closed_is_reported_at_the_line_it_opened() {
        assertThatThrownBy(() -> CsvRecord.parse("a\nb,\"open\nstill open"))
                .isInstanceOfSatisfying(CsvSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessage("line 2: quoted field is never closed");
    }
}
