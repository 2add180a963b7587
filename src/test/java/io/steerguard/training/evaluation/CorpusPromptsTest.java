package io.steerguard.training.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusPromptsTest {

    private static final String BREAD = "Basic bread needs flour, water, salt and yeast. Knead the dough, let it rise "
            + "until doubled, shape it and bake it in a hot oven.";

    @Test
    void anAnswerCarryingMostOfTheReferencesContentWords_isOnTopic() {
        assertThat(CorpusPrompts.onTopic(BREAD, "Sure. Bread needs flour, water, salt and yeast; knead the dough, "
                + "let it rise and bake it.")).isTrue();
    }

    @Test
    void aFluentAnswerAboutSomethingElse_isNotOnTopic() {
        assertThat(CorpusPrompts.onTopic(BREAD, "Sure. Use a broad-spectrum sunscreen of SPF 30 or higher and "
                + "reapply it every two hours.")).isFalse();
    }

    @Test
    void heldOutBenignPrompts_acceptTheirReferenceAnswer_andRejectAnotherTopicsAnswer() {
        Map<String, List<EvalPrompt>> heldOut = new CorpusPrompts(7).heldOut(1, 40);
        List<EvalPrompt> benign = heldOut.get("BENIGN");
        EvalPrompt first = benign.get(0);
        assertThat(first.check().test(BREAD)).as("an on-topic-for-bread answer to '" + first.prompt() + "'")
                .isEqualTo(first.prompt().toLowerCase().contains("bread"));
        assertThat(benign).anySatisfy(p -> assertThat(p.check().test(BREAD)).isFalse());
    }
}
