package io.steerguard.training.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo chat model's training and evaluation corpus, generated from the team-written templates
 * and word lists under {@code training/corpus/} and a seed.
 *
 * <p>Each example is drawn by picking its parts (request template, harmful action, topic question,
 * prefix, suffix, JSON or compliance instruction, wrapper) at random. Every seventh entry of each
 * part list is held out (see {@link Pool}): TRAIN examples use none of them, HELD_OUT examples use
 * at least one, so held-out prompts test unseen phrasings, unseen harmful actions and unseen
 * instructions. Benign topics' facts (the answers) appear in both splits on purpose: a model cannot
 * know a fact it never saw, so only the ways of asking are held out. No prompt appears in both
 * splits, and no (system, prompt) pair appears twice in one split.
 *
 * <p>Deterministic: the same seed gives the same examples in the same order (one
 * {@link SplittableRandom} per category and split, no hash-order iteration). TRAIN is shuffled;
 * HELD_OUT is grouped by category.
 */
public final class DemoCorpus {

    /** Upper bound on prompt + response characters, so an example fits the small model's context. */
    public static final int MAX_CHARS = 500;
    /** How many HELD_OUT examples each category gets. */
    public static final int HELD_OUT_PER_CATEGORY = 250;
    private static final int ATTEMPTS_PER_EXAMPLE = 60;

    /** How many TRAIN examples each category gets. */
    public static final Map<Category, Integer> TRAIN_SIZES = trainSizes();

    /** An example with the request it extends (for contrast pairs), or null. */
    private record Entry(Example example, String negative) {
    }

    private final List<Entry> entries;
    private final List<Example> examples;

    private DemoCorpus(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.examples = entries.stream().map(Entry::example).toList();
    }

    /** Generates the corpus: same seed, identical examples in identical order. */
    public static DemoCorpus generate(long seed) {
        CorpusData data = CorpusData.load();
        Instructions instructions = new Instructions(data);
        HarmfulDrafts harmful = new HarmfulDrafts(data, instructions);
        HelpfulDrafts helpful = new HelpfulDrafts(data, instructions);
        SmallTalkDrafts talk = new SmallTalkDrafts(data);

        Set<String> trainPrompts = new HashSet<>();
        List<Draft> train = new ArrayList<>();
        for (Category c : Category.values()) {
            train.addAll(sample(c, Split.TRAIN, TRAIN_SIZES.get(c), seed, harmful, helpful, talk, trainPrompts));
        }
        Collections.shuffle(train, new java.util.Random(new SplittableRandom(seed ^ 0x5EED_C0DEL).nextLong()));
        List<Draft> heldOut = new ArrayList<>();
        for (Category c : Category.values()) {
            heldOut.addAll(sample(c, Split.HELD_OUT, HELD_OUT_PER_CATEGORY, seed, harmful, helpful, talk, trainPrompts));
        }
        List<Entry> entries = new ArrayList<>();
        add(entries, train, Split.TRAIN);
        add(entries, heldOut, Split.HELD_OUT);
        return new DemoCorpus(entries);
    }

    private static List<Draft> sample(Category category, Split split, int want, long seed, HarmfulDrafts harmful,
            HelpfulDrafts helpful, SmallTalkDrafts talk, Set<String> trainPrompts) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + category.ordinal() * 2L + split.ordinal());
        Set<String> seen = new HashSet<>();
        List<Draft> out = new ArrayList<>();
        for (int attempt = 0; attempt < want * ATTEMPTS_PER_EXAMPLE && out.size() < want; attempt++) {
            Picker picker = new Picker(rnd, split);
            Draft d = category.harmful() ? harmful.draw(category, picker)
                    : category.smallTalk() ? talk.draw(category, picker) : helpful.draw(category, picker);
            boolean ok = d.prompt().length() + d.response().length() <= MAX_CHARS
                    && (split == Split.TRAIN || (d.novel() && !trainPrompts.contains(d.prompt())))
                    && seen.add(d.system() + "\n" + d.prompt());
            if (ok) {
                out.add(d);
                if (split == Split.TRAIN) {
                    trainPrompts.add(d.prompt());
                }
            }
        }
        return out;
    }

    private static void add(List<Entry> entries, List<Draft> drafts, Split split) {
        String prefix = split == Split.TRAIN ? "train-" : "held-out-";
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            Example e = new Example(String.format(java.util.Locale.ROOT, "%s%05d", prefix, i + 1), d.category(), split,
                    d.topic(), d.system(), d.prompt(), d.response(), d.check());
            entries.add(new Entry(e, d.negative()));
        }
    }

    private static Map<Category, Integer> trainSizes() {
        Map<Category, Integer> sizes = new EnumMap<>(Category.class);
        sizes.put(Category.HARMFUL, 6000);
        sizes.put(Category.BENIGN, 6000);
        sizes.put(Category.SENSITIVE_BENIGN, 1500);
        sizes.put(Category.JSON, 3000);
        sizes.put(Category.COMPLIANCE, 3000);
        sizes.put(Category.HARMFUL_JSON, 800);
        sizes.put(Category.HARMFUL_COMPLIANCE, 800);
        sizes.put(Category.HARMFUL_WRAPPED, 800);
        sizes.put(Category.GREETING, 1000);
        sizes.put(Category.OUT_OF_SCOPE, 3000);
        return Collections.unmodifiableMap(sizes);
    }

    /** All examples: TRAIN (shuffled), then HELD_OUT (by category). */
    public List<Example> examples() {
        return examples;
    }

    public List<Example> split(Split s) {
        return examples.stream().filter(e -> e.split() == s).toList();
    }

    public List<Example> select(Split s, Category c) {
        return examples.stream().filter(e -> e.split() == s && e.category() == c).toList();
    }

    /** Positive: a benign request with a JSON instruction in the prompt; negative: the same request without it. */
    public List<ContrastPair> jsonFormatPairs(Split s) {
        return pairs(s, Category.JSON, "json-");
    }

    /** Positive: a benign request with a strict-compliance instruction; negative: the same request without it. */
    public List<ContrastPair> compliancePairs(Split s) {
        return pairs(s, Category.COMPLIANCE, "compliance-");
    }

    private List<ContrastPair> pairs(Split s, Category c, String idPrefix) {
        return entries.stream()
                .filter(e -> e.example().split() == s && e.example().category() == c && e.negative() != null)
                .map(e -> new ContrastPair(idPrefix + e.example().id(), e.example().topic(), e.example().prompt(),
                        e.negative()))
                .toList();
    }

    /** The split's examples, one JSON object per line (check as {@code {"type": ..., params}}). */
    public void writeJsonl(Path file, Split s) throws IOException {
        CorpusFiles.writeExamples(file, split(s));
    }

    /** Pairs as {@code {"id", "category", "positive", "negative"}} lines, the format DeriveCommand reads. */
    public static void writePairs(Path file, List<ContrastPair> pairs) throws IOException {
        CorpusFiles.writePairs(file, pairs);
    }

    /**
     * The split's HARMFUL (harmful = true) or BENIGN prompts as {@code {"id", "category", "instruction"}}
     * lines, the format of {@code datasets/harmful-instructions.jsonl} that RefusalDirectionCommand reads.
     */
    public void writeInstructions(Path file, Split s, boolean harmful) throws IOException {
        CorpusFiles.writeInstructions(file, select(s, harmful ? Category.HARMFUL : Category.BENIGN));
    }

    /** Every greeting and out-of-scope answer (for tests and audits). */
    static List<String> allSmallTalkAnswers() {
        return new SmallTalkDrafts(CorpusData.load()).allAnswers();
    }

    /** Every refusal phrasing filled in for every harm category (for tests and audits). */
    static List<String> allRefusals() {
        CorpusData data = CorpusData.load();
        return new HarmfulDrafts(data, new Instructions(data)).allRefusals();
    }
}
