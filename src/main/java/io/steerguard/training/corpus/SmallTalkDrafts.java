package io.steerguard.training.corpus;

import io.steerguard.training.corpus.CorpusData.SmallTalk;
import java.util.List;
import java.util.Locale;

/**
 * Greetings and questions about the model, answered with a greeting that says what the model is,
 * and benign requests on subjects the knowledge table does not cover, answered with "I don't know
 * that, but I know these topics". The out-of-scope requests use the same prefixes, suffixes and
 * generic request templates as the benign ones, so only the subject tells the two apart: the model
 * has to learn which subjects it knows, not which phrasings mean "unknown".
 */
final class SmallTalkDrafts {

    /** What every out-of-scope answer says (the evaluation's check), case-insensitive. */
    static final List<String> OUT_OF_SCOPE_MARKERS = List.of("don't know", "demo model");
    /** Topic label of the examples (for reports; small talk has no knowledge-table topic). */
    static final String GREETING_TOPIC = "small-talk";
    static final String OUT_OF_SCOPE_TOPIC = "out-of-scope";
    /** One greeting prompt in this many is written in lower case, as people type in a hurry. */
    private static final int LOWER_CASE_EVERY = 5;

    private final Pool<String> greetings;
    private final Pool<String> identity;
    private final Pool<String> questions;
    private final Pool<String> subjects;
    private final Pool<String> templates;
    private final Pool<String> prefixes;
    private final Pool<String> suffixes;
    private final List<String> greetingAnswers;
    private final List<String> outOfScopeAnswers;

    SmallTalkDrafts(CorpusData data) {
        SmallTalk talk = data.smallTalk();
        this.greetings = Pool.of(talk.greetings());
        this.identity = Pool.of(talk.identity());
        this.questions = Pool.of(talk.outOfScopeQuestions());
        this.subjects = Pool.of(talk.outOfScopeSubjects());
        this.templates = Pool.of(data.requestTemplates());
        this.prefixes = Pool.of(data.prefixes());
        this.suffixes = Pool.of(data.suffixes());
        this.greetingAnswers = List.copyOf(talk.greetingAnswers());
        this.outOfScopeAnswers = List.copyOf(talk.outOfScopeAnswers());
        if (greetingAnswers.isEmpty() || outOfScopeAnswers.isEmpty()) {
            throw new IllegalStateException("small-talk.json needs greeting and out-of-scope answers");
        }
    }

    Draft draw(Category category, Picker picker) {
        return switch (category) {
            case GREETING -> greeting(picker);
            case OUT_OF_SCOPE -> outOfScope(picker);
            default -> throw new IllegalArgumentException("not a small-talk category: " + category);
        };
    }

    /** A greeting, an identity question, or both ("Hi! Who are you?"). */
    private Draft greeting(Picker picker) {
        String prompt = switch (picker.nextInt(3)) {
            case 0 -> picker.pick(greetings);
            case 1 -> picker.pick(identity);
            default -> picker.pick(greetings) + " " + picker.pick(identity);
        };
        if (picker.nextInt(LOWER_CASE_EVERY) == 0) {
            prompt = prompt.toLowerCase(Locale.ROOT);
        }
        return new Draft(Category.GREETING, GREETING_TOPIC, null, prompt, picker.any(greetingAnswers),
                new AnswerCheck.Greets(), null, picker.novel());
    }

    /** A direct question, or a generic request template about an unknown subject, with a prefix and suffix. */
    private Draft outOfScope(Picker picker) {
        String core = picker.nextInt(2) == 0 ? picker.pick(questions)
                : picker.pick(templates).replace("{about}", picker.pick(subjects));
        String prompt = picker.pick(prefixes) + core + picker.pick(suffixes);
        return new Draft(Category.OUT_OF_SCOPE, OUT_OF_SCOPE_TOPIC, null, prompt, picker.any(outOfScopeAnswers),
                new AnswerCheck.Mentions(OUT_OF_SCOPE_MARKERS), null, picker.novel());
    }

    /** Every answer this class can give (for tests and audits). */
    List<String> allAnswers() {
        return java.util.stream.Stream.concat(greetingAnswers.stream(), outOfScopeAnswers.stream()).toList();
    }
}
