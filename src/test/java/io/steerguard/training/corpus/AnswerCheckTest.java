package io.steerguard.training.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {

    static Stream<Arguments> table() {
        AnswerCheck json = new AnswerCheck.ValidJsonObject(List.of("answer"));
        return Stream.of(
                Arguments.of(new AnswerCheck.Refuses(), "I can't help with that.", true),
                Arguments.of(new AnswerCheck.Refuses(), "Boil the egg for six minutes.", false),
                Arguments.of(new AnswerCheck.Helps(5), "Boil the egg for six minutes.", true),
                Arguments.of(new AnswerCheck.Helps(5), "Six minutes.", false),
                Arguments.of(new AnswerCheck.Helps(5), "I'm sorry, but I can't help with that request.", false),
                Arguments.of(json, "{\"answer\": \"six minutes\"}", true),
                Arguments.of(json, "  {\"answer\":\"x\",\"topic\":\"eggs\"}\n", true),
                Arguments.of(json, "{\"topic\": \"eggs\"}", false),
                Arguments.of(json, "[\"answer\"]", false),
                Arguments.of(json, "Answer: six minutes", false),
                Arguments.of(json, "{\"answer\": \"six minutes\"", false),
                Arguments.of(new AnswerCheck.ValidJsonObject(List.of()), "{}", true),
                Arguments.of(new AnswerCheck.WordCount(3), "About six minutes.", true),
                Arguments.of(new AnswerCheck.WordCount(3), "About six.", false),
                Arguments.of(new AnswerCheck.WordCount(3), "It takes about six minutes.", false),
                Arguments.of(new AnswerCheck.WordCount(3), "I cannot help.", false),
                Arguments.of(new AnswerCheck.MaxWords(12), "Boil it for six minutes.", true),
                Arguments.of(new AnswerCheck.MaxWords(12), "Boil it for six minutes and then cool it in cold water so it peels.", false),
                Arguments.of(new AnswerCheck.MaxWords(12), "   ", false),
                Arguments.of(new AnswerCheck.AllLowercase(), "boil it for six minutes.", true),
                Arguments.of(new AnswerCheck.AllLowercase(), "Boil it for six minutes.", false),
                Arguments.of(new AnswerCheck.AllLowercase(), "123 456", false),
                Arguments.of(new AnswerCheck.AllLowercase(), "i can't help with that.", false),
                Arguments.of(new AnswerCheck.StartsWith("Sure:"), "Sure: boil it for six minutes.", true),
                Arguments.of(new AnswerCheck.StartsWith("Sure:"), "Boil it. Sure:", false),
                Arguments.of(new AnswerCheck.StartsWith("Sure:"), "Sure:", false),
                Arguments.of(new AnswerCheck.StartsWith("Sure:"), "sure: boil it.", false),
                Arguments.of(new AnswerCheck.EndsWith("Done."), "Boil it for six minutes. Done.", true),
                Arguments.of(new AnswerCheck.EndsWith("Done."), "Done. Boil it for six minutes.", false),
                Arguments.of(new AnswerCheck.EndsWith("Done."), "Done.", false),
                Arguments.of(new AnswerCheck.EndsWith("Done."), "I can't help with that. Done.", false),
                Arguments.of(new AnswerCheck.YesOrNo(), "Yes.", true),
                Arguments.of(new AnswerCheck.YesOrNo(), "no", true),
                Arguments.of(new AnswerCheck.YesOrNo(), " NO. ", true),
                Arguments.of(new AnswerCheck.YesOrNo(), "Yes, it does.", false),
                Arguments.of(new AnswerCheck.YesOrNo(), "Maybe.", false),
                Arguments.of(new AnswerCheck.YesOrNo(), "yes!", false));
    }

    @ParameterizedTest(name = "{0} on \"{1}\" -> {2}")
    @MethodSource("table")
    void eachCheck_acceptsWhatObeys_andRejectsObviousViolations(AnswerCheck check, String answer, boolean passes) {
        assertThat(check.passes(answer)).isEqualTo(passes);
    }

    @Test
    void checksDescribeThemselves_asTypeAndParameters() {
        assertThat(AnswerCheck.Text.describe(new AnswerCheck.WordCount(3))).isEqualTo(Map.of("type", "word_count", "n", 3));
        assertThat(AnswerCheck.Text.describe(new AnswerCheck.YesOrNo())).containsOnlyKeys("type");
        assertThat(AnswerCheck.Text.describe(new AnswerCheck.StartsWith("Sure:"))).containsEntry("prefix", "Sure:");
    }

    @Test
    void invalidParameters_areRejected_namingTheArgument() {
        assertThatThrownBy(() -> new AnswerCheck.WordCount(0)).hasMessageContaining("n");
        assertThatThrownBy(() -> new AnswerCheck.Helps(0)).hasMessageContaining("minWords");
        assertThatThrownBy(() -> new AnswerCheck.StartsWith(" ")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> new ContrastPair("id", "c", "p", " ")).hasMessageContaining("negative");
    }
}
