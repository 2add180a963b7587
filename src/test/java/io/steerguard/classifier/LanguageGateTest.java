package io.steerguard.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageGateTest {

    @Test
    void englishAndOtherLatinScript_pass() {
        assertThat(LanguageGate.supported("I'm sorry, but I can't help with that.")).isTrue();
        assertThat(LanguageGate.supported("Désolé, je ne peux pas vous aider avec ça.")).isTrue();
        assertThat(LanguageGate.supported("```json\n{\"a\": 1}\n```")).isTrue();
        assertThat(LanguageGate.supported("12345 !!!")).isTrue();
    }

    @Test
    void chineseCyrillicAndArabic_areNotSupported() {
        assertThat(LanguageGate.supported("我很抱歉，但我不能提供关于伤害他人的指导。")).isFalse();
        assertThat(LanguageGate.supported("Извините, я не могу помочь с этим запросом.")).isFalse();
        assertThat(LanguageGate.supported("عذرا، لا أستطيع المساعدة في ذلك.")).isFalse();
    }

    @Test
    void aMostlyChineseAnswerWithAnEnglishTag_isStillNotSupported() {
        assertThat(LanguageGate.supported("ChatGPT: 我很抱歉，但我不能提供关于伤害他人的指导或鼓励任何形式的暴力行为。如果您有其他问题，我将很乐意回答。"))
                .isFalse();
    }
}
