package io.steerguard.training.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.LearnedRefusalClassifier;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The greeting and out-of-scope part of the demo corpus: the graceful "I don't know that" answer
 * must read as compliance to every refusal classifier the project ships (lexical, learned and
 * embedding tiers), in every prompt it answers, and held-out prompts must stay unseen in training.
 */
class SmallTalkCorpusTest {

    private static DemoCorpus corpus;
    private static EmbeddingRefusalClassifier embedding;
    private static LearnedRefusalClassifier learned;

    @BeforeAll
    static void load() {
        corpus = DemoCorpus.generate(7);
        embedding = EmbeddingRefusalClassifier.loadDefault();
        learned = LearnedRefusalClassifier.loadDefault();
    }

    private static List<Example> smallTalk() {
        return corpus.examples().stream().filter(e -> e.category().smallTalk()).toList();
    }

    /** Examples the tiers judge: the first {@value #PER_GROUP} of each small-talk category in each split. */
    private static final int PER_GROUP = 25;

    /** The learned tier reads the request too, so each answer is judged after many different prompts. */
    private static void assertNoTierRefuses(RefusalClassifier classifier, String tier) {
        for (Category c : List.of(Category.GREETING, Category.OUT_OF_SCOPE)) {
            for (Split s : Split.values()) {
                for (Example e : corpus.select(s, c).subList(0, PER_GROUP)) {
                    Verdict v = classifier.classify(e.prompt(), e.response());
                    assertThat(v.refused()).as(tier + " on " + e.prompt() + " -> " + e.response() + " (score "
                            + v.score() + ")").isFalse();
                }
            }
        }
    }

    @Test
    @DisplayName("the lexical tier reads every greeting and out-of-scope answer as compliance")
    void lexicalTier_readsTheGracefulAnswersAsCompliance() {
        assertNoTierRefuses(new LexicalRefusalClassifier(), "lexical");
        assertThat(DemoCorpus.allSmallTalkAnswers()).allSatisfy(a ->
                assertThat(new LexicalRefusalClassifier().classify("Write a haiku about autumn.", a).refused()).as(a)
                        .isFalse());
    }

    @Test
    @DisplayName("the embedding tier reads every greeting and out-of-scope answer as compliance")
    void embeddingTier_readsTheGracefulAnswersAsCompliance() {
        assertNoTierRefuses(embedding, "embedding");
    }

    @Test
    @DisplayName("the learned tier reads every greeting and out-of-scope answer as compliance")
    void learnedTier_readsTheGracefulAnswersAsCompliance() {
        assertNoTierRefuses(learned, "learned");
    }

    @Test
    @DisplayName("each example's own answer passes its check, and a refusal or another topic's fact fails it")
    void theChecks_acceptTheCorpusAnswers_andRejectRefusalsAndFacts() {
        for (Example e : smallTalk()) {
            assertThat(e.check().passes(e.response())).as(e.response()).isTrue();
            assertThat(e.check().passes("I can't help with that.")).isFalse();
            assertThat(e.check().passes("Basic bread needs flour, water, salt and yeast.")).isFalse();
        }
        Example greeting = corpus.select(Split.TRAIN, Category.GREETING).get(0);
        Example outOfScope = corpus.select(Split.TRAIN, Category.OUT_OF_SCOPE).get(0);
        assertThat(greeting.check().passes(outOfScope.response())).isFalse();
        assertThat(outOfScope.check().passes(greeting.response())).isFalse();
    }

    @Test
    @DisplayName("no held-out greeting or out-of-scope prompt is a training prompt, and each uses a held-out part")
    void heldOutSmallTalk_isUnseenInTraining() {
        Set<String> train = corpus.split(Split.TRAIN).stream().map(Example::prompt).collect(Collectors.toSet());
        CorpusData data = CorpusData.load();
        List<String> heldOutParts = new java.util.ArrayList<>();
        heldOutParts.addAll(Pool.of(data.smallTalk().greetings()).heldOut());
        heldOutParts.addAll(Pool.of(data.smallTalk().identity()).heldOut());
        heldOutParts.addAll(Pool.of(data.smallTalk().outOfScopeQuestions()).heldOut());
        heldOutParts.addAll(Pool.of(data.smallTalk().outOfScopeSubjects()).heldOut());
        heldOutParts.addAll(Pool.of(data.prefixes()).heldOut().stream().filter(p -> !p.isBlank()).toList());
        heldOutParts.addAll(Pool.of(data.suffixes()).heldOut().stream().filter(p -> !p.isBlank()).toList());
        Pool.of(data.requestTemplates()).heldOut().forEach(t -> heldOutParts.add(t.substring(0, t.indexOf('{'))));
        for (Category c : List.of(Category.GREETING, Category.OUT_OF_SCOPE)) {
            List<Example> heldOut = corpus.select(Split.HELD_OUT, c);
            assertThat(heldOut).as(c.name()).hasSizeGreaterThanOrEqualTo(200);
            for (Example e : heldOut) {
                assertThat(train).as(e.prompt()).doesNotContain(e.prompt());
                String lower = e.prompt().toLowerCase(java.util.Locale.ROOT);
                assertThat(heldOutParts).as(e.prompt())
                        .anyMatch(p -> lower.contains(p.toLowerCase(java.util.Locale.ROOT)));
            }
        }
    }

    @Test
    @DisplayName("no training prompt uses a held-out out-of-scope subject or question")
    void heldOutSubjectsAndQuestions_neverAppearInTraining() {
        CorpusData data = CorpusData.load();
        List<String> held = new java.util.ArrayList<>(Pool.of(data.smallTalk().outOfScopeQuestions()).heldOut());
        Pool.of(data.smallTalk().outOfScopeSubjects()).heldOut().forEach(s -> held.add(" " + s + "?"));
        Pool.of(data.smallTalk().outOfScopeSubjects()).heldOut().forEach(s -> held.add(" " + s + "."));
        for (Example e : corpus.select(Split.TRAIN, Category.OUT_OF_SCOPE)) {
            assertThat(held).as(e.prompt()).noneMatch(e.prompt()::contains);
        }
    }

    @Test
    @DisplayName("out-of-scope subjects are not knowledge-table topics, and the answers name topics the model knows")
    void outOfScopeSubjects_areNotTopics_andAnswersNameKnownOnes() {
        CorpusData data = CorpusData.load();
        Set<String> abouts = data.topics().stream().map(t -> t.about().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toSet());
        Set<String> areas = data.topics().stream().map(CorpusData.Topic::area).collect(Collectors.toSet());
        assertThat(data.smallTalk().outOfScopeSubjects()).noneMatch(s -> abouts.contains(s.toLowerCase(java.util.Locale.ROOT)));
        assertThat(data.smallTalk().outOfScopeAnswers()).allSatisfy(a ->
                assertThat(areas.stream().filter(a::contains).count() + abouts.stream().filter(a::contains).count())
                        .as(a).isGreaterThanOrEqualTo(2));
    }
}
