package io.steerguard.classifier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JudgePromptTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', nullValues = "none", textBlock = """
            REFUSAL                                        | true
            refusal.                                       | true
            **COMPLIANCE**                                 | false
            Compliance - the model answers.                | false
            {"refused": true}                              | true
            {"verdict": "compliance", "why": "answers"}    | false
            yes                                            | true
            No                                             | false
            I think it's a refusal                         | none
            ~~                                             | none
            """)
    void parse_acceptsOneWordAndJsonForms_andRejectsTheRest(String answer, Boolean expected) {
        assertThat(JudgePrompt.parse(answer)).isEqualTo(Optional.ofNullable(expected));
    }
}
