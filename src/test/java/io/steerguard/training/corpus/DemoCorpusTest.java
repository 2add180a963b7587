package io.steerguard.training.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.classifier.LexicalRefusalClassifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoCorpusTest {

    private static final LexicalRefusalClassifier CLASSIFIER = new LexicalRefusalClassifier();
    private static DemoCorpus corpus;
    private static long generationMillis;

    @BeforeAll
    static void generate() {
        DemoCorpus.generate(1); // warm up class loading and Jackson before timing
        long start = System.nanoTime();
        corpus = DemoCorpus.generate(8);
        generationMillis = (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void theSameSeed_givesIdenticalExamples_inIdenticalOrder() {
        assertThat(DemoCorpus.generate(8).examples()).isEqualTo(corpus.examples());
        assertThat(DemoCorpus.generate(8).jsonFormatPairs(Split.TRAIN)).isEqualTo(corpus.jsonFormatPairs(Split.TRAIN));
    }

    @Test
    void aDifferentSeed_givesDifferentExamples() {
        List<String> other = DemoCorpus.generate(9).split(Split.TRAIN).stream().map(Example::prompt).toList();
        List<String> mine = corpus.split(Split.TRAIN).stream().map(Example::prompt).toList();
        assertThat(other).isNotEqualTo(mine);
    }

    @Test
    void generation_takesLessThanThreeSeconds() {
        assertThat(generationMillis).isLessThan(3000);
    }

    @Test
    void noPrompt_appearsInBothSplits() {
        Set<String> train = corpus.split(Split.TRAIN).stream().map(Example::prompt).collect(Collectors.toSet());
        List<String> leaked = corpus.split(Split.HELD_OUT).stream().map(Example::prompt).filter(train::contains).toList();
        assertThat(leaked).isEmpty();
    }

    @Test
    void noConversation_appearsTwiceInOneSplit() {
        for (Split s : Split.values()) {
            List<String> keys = corpus.split(s).stream().map(e -> e.system() + "\n" + e.prompt()).toList();
            assertThat(new HashSet<>(keys)).as(s.name()).hasSameSizeAs(keys);
        }
    }

    @Test
    void idsAreUnique() {
        List<String> ids = corpus.examples().stream().map(Example::id).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void everyCategory_hasItsTrainSize_andAboutTwoHundredFiftyHeldOut() {
        for (Category c : Category.values()) {
            int want = DemoCorpus.TRAIN_SIZES.get(c);
            assertThat(corpus.select(Split.TRAIN, c)).as(c + " train").hasSizeBetween(want * 95 / 100, want);
            assertThat(corpus.select(Split.HELD_OUT, c)).as(c + " held out").hasSizeBetween(150, 300);
        }
        assertThat(corpus.split(Split.TRAIN)).hasSizeBetween(25_000, 27_000);
    }

    @Test
    void heldOutHarmfulActions_neverAppearInAnyTrainPrompt() {
        CorpusData data = CorpusData.load();
        List<String> actions = data.harmCategories().stream().flatMap(c -> c.actions().stream()).toList();
        List<String> heldOut = Pool.of(actions).heldOut();
        assertThat(heldOut).hasSizeGreaterThanOrEqualTo(actions.size() / 8);
        Set<String> heldOutSet = Set.copyOf(heldOut);
        for (Example e : corpus.split(Split.TRAIN)) {
            for (String action : heldOutSet) {
                assertThat(e.prompt()).as(e.id()).doesNotContain(action);
            }
        }
        long heldOutUses = corpus.select(Split.HELD_OUT, Category.HARMFUL).stream()
                .filter(e -> heldOutSet.stream().anyMatch(e.prompt()::contains)).count();
        assertThat(heldOutUses).as("held-out HARMFUL examples using a held-out action").isGreaterThan(30);
    }

    @Test
    void heldOutRequestTemplates_neverAppearInAnyTrainPrompt() {
        CorpusData data = CorpusData.load();
        for (String template : Pool.of(data.harmfulTemplates()).heldOut()) {
            String fixed = template.substring(0, template.indexOf("{action}"));
            if (fixed.length() < 12) {
                continue; // too short to be distinctive ("Help me ")
            }
            assertThat(corpus.split(Split.TRAIN)).as(template)
                    .noneMatch(e -> e.category().harmful() && e.prompt().contains(fixed));
        }
    }

    @Test
    void everyExample_passesItsOwnCheck_andFitsTheContext() {
        for (Example e : corpus.examples()) {
            assertThat(e.check().passes(e.response())).as(e.id() + ": " + e.response() + " vs " + e.check()).isTrue();
            assertThat(e.prompt().length() + e.response().length()).as(e.id()).isLessThanOrEqualTo(DemoCorpus.MAX_CHARS);
            assertThat(e.prompt() + e.response()).as(e.id()).matches("\\p{ASCII}*");
        }
    }

    @Test
    void everyHarmfulExample_isAnsweredWithAPlainTextRefusal() {
        for (Example e : corpus.examples()) {
            if (e.category().harmful()) {
                assertThat(e.check()).isEqualTo(new AnswerCheck.Refuses());
                assertThat(CLASSIFIER.classify(e.prompt(), e.response()).refused()).as(e.response()).isTrue();
                assertThat(e.response()).doesNotStartWith("{");
            }
        }
    }

    @Test
    void everyRefusalPhrasing_isARefusal_forEveryHarmCategory() {
        List<String> refusals = DemoCorpus.allRefusals();
        assertThat(CorpusData.load().refusals()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(refusals).allSatisfy(r -> assertThat(CLASSIFIER.classify("", r).refused()).as(r).isTrue());
    }

    @Test
    void everyHelpfulAnswer_isNotARefusal() {
        for (Example e : corpus.examples()) {
            if (!e.category().harmful() && !(e.check() instanceof AnswerCheck.YesOrNo)) {
                assertThat(CLASSIFIER.classify(e.prompt(), e.response()).refused()).as(e.response()).isFalse();
            }
        }
    }

    @Test
    void everyJsonAnswer_isACompactJsonObject_withTheAskedKeys() {
        for (Example e : corpus.select(Split.TRAIN, Category.JSON)) {
            assertThat(e.check()).isInstanceOf(AnswerCheck.ValidJsonObject.class);
            assertThat(e.response()).startsWith("{").endsWith("}").doesNotContain("\n");
            AnswerCheck.ValidJsonObject check = (AnswerCheck.ValidJsonObject) e.check();
            assertThat(check.requiredKeys()).isNotEmpty();
            assertThat(check.passes(e.response())).isTrue();
        }
    }

    @Test
    void complianceExamples_coverEveryConstraint() {
        Set<String> types = corpus.select(Split.TRAIN, Category.COMPLIANCE).stream().map(e -> e.check().type())
                .collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrder("word_count", "yes_or_no", "all_lowercase", "starts_with",
                "ends_with", "max_words");
    }

    @Test
    void theTemplates_coverTheRequiredBreadth() {
        CorpusData data = CorpusData.load();
        assertThat(data.harmCategories()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(data.topics()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(data.sensitive()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(data.wrappers()).hasSizeBetween(4, 7);
        assertThat(corpus.select(Split.TRAIN, Category.HARMFUL).stream().map(Example::topic).distinct())
                .hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void contrastPairs_differOnlyByTheInstruction() {
        List<ContrastPair> json = corpus.jsonFormatPairs(Split.TRAIN);
        List<ContrastPair> compliance = corpus.compliancePairs(Split.TRAIN);
        assertThat(json).hasSizeGreaterThan(1000);
        assertThat(compliance).hasSizeGreaterThan(1000);
        assertThat(corpus.jsonFormatPairs(Split.HELD_OUT)).isNotEmpty();
        for (ContrastPair p : json) {
            assertThat(p.positive()).isNotEqualTo(p.negative()).contains(p.negative());
            assertThat(p.positive().toLowerCase()).contains("json");
            assertThat(p.negative().toLowerCase()).doesNotContain("json");
        }
        for (ContrastPair p : compliance) {
            assertThat(p.positive()).isNotEqualTo(p.negative()).startsWith(p.negative());
        }
    }

    @Test
    void theHarmfulWrappers_areNotTheHeldOutAttackTemplates() throws Exception {
        String attacks;
        try (var in = getClass().getClassLoader().getResourceAsStream("datasets/attack-templates.json")) {
            attacks = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String wrapper : CorpusData.load().wrappers()) {
            String opening = wrapper.substring(0, Math.min(30, wrapper.indexOf("{request}")));
            assertThat(attacks).as(wrapper).doesNotContain(opening);
        }
    }
}
