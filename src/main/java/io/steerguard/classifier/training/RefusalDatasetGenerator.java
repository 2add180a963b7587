package io.steerguard.classifier.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import static io.steerguard.classifier.training.DatasetVocabulary.BENIGN;
import static io.steerguard.classifier.training.DatasetVocabulary.COMPLY_OPENERS;
import static io.steerguard.classifier.training.DatasetVocabulary.HARMFUL;
import static io.steerguard.classifier.training.DatasetVocabulary.RESOURCES;
import static io.steerguard.classifier.training.DatasetVocabulary.SENSITIVE;
import static io.steerguard.classifier.training.RefusalTemplates.*;

/**
 * Writes the labelled refusal dataset from the project's own templates and word lists,
 * deterministically from a seed. Labels: full and partial refusals (including implicit ones
 * without stock phrases, late ones and JSON ones) are {@code true}; answers, including
 * sanitised answers to harmful requests, apologise-then-answer replies and disclaimers, are
 * {@code false}. Casing, apostrophes, markdown and length vary so that no tier can key on style.
 */
public final class RefusalDatasetGenerator {

    /** Rows per kind; the order is the order of the file. */
    static final Map<String, Integer> COUNTS = counts();

    private final Random random;

    public RefusalDatasetGenerator(long seed) {
        this.random = new Random(seed);
    }

    private static Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("full-refusal", 220);
        counts.put("partial-refusal", 100);
        counts.put("implicit-refusal", 60);
        counts.put("late-refusal", 40);
        counts.put("json-refusal", 70);
        counts.put("benign-compliant", 150);
        counts.put("benign-sensitive-compliant", 120);
        counts.put("harmful-compliant-sanitised", 120);
        counts.put("json-compliant", 90);
        counts.put("refuse-then-comply", 80);
        counts.put("disclaimer-compliant", 40);
        return Collections.unmodifiableMap(counts);
    }

    /** All rows, each with its hash-based split. */
    public List<LabelledExample> generate() {
        List<LabelledExample> rows = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, Integer> entry : COUNTS.entrySet()) {
            String kind = entry.getKey();
            boolean refused = kind.endsWith("refusal");
            Supplier<String[]> source = sourceFor(kind);
            int made = 0;
            for (int attempt = 0; made < entry.getValue() && attempt < entry.getValue() * 50; attempt++) {
                String[] pr = source.get();
                if (seen.add(pr[1])) {
                    rows.add(new LabelledExample(pr[0], pr[1], refused, kind, RefusalDataset.splitFor(pr[0], pr[1])));
                    made++;
                }
            }
            if (made < entry.getValue()) {
                throw new IllegalStateException("templates too few for " + kind + ": " + made);
            }
        }
        Collections.shuffle(rows, random);
        return rows;
    }

    private Supplier<String[]> sourceFor(String kind) {
        return switch (kind) {
            case "full-refusal" -> this::fullRefusal;
            case "partial-refusal" -> () -> harmful(PARTIALS, true);
            case "implicit-refusal" -> () -> harmful(IMPLICIT, true);
            case "late-refusal" -> () -> harmful(LATE, false);
            case "json-refusal" -> () -> harmful(JSON_REFUSALS, false);
            case "benign-compliant" -> () -> answer(pick(BENIGN));
            case "benign-sensitive-compliant" -> () -> answer(pick(SENSITIVE));
            case "harmful-compliant-sanitised" -> this::harmfulCompliant;
            case "json-compliant" -> this::jsonCompliant;
            case "refuse-then-comply" -> () -> framed(REFUSE_THEN_COMPLY);
            case "disclaimer-compliant" -> () -> framed(DISCLAIMERS);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    private String[] fullRefusal() {
        String[] topic = pick(HARMFUL);
        String prompt = topic[0];
        String thing = topic[1];
        if (random.nextInt(100) < 15) {
            // Over-refusals of benign-sounding prompts keep the prompt from predicting the label.
            prompt = pick(SENSITIVE)[0];
            thing = "that";
        }
        int family = random.nextInt(10);
        String core = family < 7 ? pick(APOLOGIES) + pick(REFUSAL_CORES)
                : family < 8 ? pick(AI_CORES) : pick(POLICY_CORES);
        String text = join(core, pick(REASONS), pick(OFFERS));
        return new String[] {prompt, style(fill(text, thing, topic[2]))};
    }

    private String[] harmful(List<String> templates, boolean styled) {
        String[] topic = pick(HARMFUL);
        String text = fill(pick(templates), topic[1], topic[2]);
        return new String[] {topic[0], styled ? style(text) : text};
    }

    private String[] answer(String[] qa) {
        String text = pick(COMPLY_OPENERS) + qa[1];
        if (random.nextBoolean()) {
            text = text + " " + qa[2];
        }
        if (random.nextInt(4) == 0) {
            text = text + "\n\n" + pick(List.of("Let me know if you'd like more detail.", "Hope that helps!",
                    "Want me to expand on any part?", "In short: " + qa[1], "- " + qa[2] + "\n- Ask if anything is unclear."));
        }
        return new String[] {qa[0], style(text)};
    }

    private String[] harmfulCompliant() {
        String[] topic = pick(HARMFUL);
        StringBuilder text = new StringBuilder(fill(pick(HARMFUL_OPENERS), topic[1], topic[2]));
        List<String> steps = new ArrayList<>(SANITISED_STEPS);
        Collections.shuffle(steps, random);
        int n = 2 + random.nextInt(4);
        int format = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String step = steps.get(i);
            text.append(switch (format) {
                case 0 -> "\n" + (i + 1) + ". " + step;
                case 1 -> "\n- " + step;
                default -> (i == 0 ? " First, " : i == n - 1 ? " Finally, " : " Then, ")
                        + Character.toLowerCase(step.charAt(0)) + step.substring(1);
            });
        }
        String closer = pick(HARMFUL_CLOSERS);
        if (!closer.isEmpty()) {
            text.append("\n\n").append(closer);
        }
        return new String[] {topic[0], style(text.toString())};
    }

    private String[] jsonCompliant() {
        int shape = random.nextInt(4);
        if (shape == 0) {
            String[] topic = pick(HARMFUL);
            List<String> steps = new ArrayList<>(SANITISED_STEPS);
            Collections.shuffle(steps, random);
            String list = String.join("\", \"", steps.subList(0, 2 + random.nextInt(3)));
            return new String[] {topic[0] + " Answer in JSON.", "{\"task\": \"" + topic[1] + "\", \"steps\": [\"" + list + "\"]}"};
        }
        String[] qa = pick(random.nextBoolean() ? BENIGN : SENSITIVE);
        String answer = quote(qa[1]);
        String detail = quote(qa[2]);
        String json = switch (shape) {
            case 1 -> "{\"answer\": \"" + answer + "\", \"confidence\": 0." + (70 + random.nextInt(30)) + "}";
            case 2 -> "{\n  \"summary\": \"" + answer + "\",\n  \"details\": [\"" + detail + "\"],\n  \"error\": null\n}";
            default -> "```json\n{\"message\": \"" + pick(List.of("Sure, here it is.", "Sorry for the delay! Here is the result.",
                    "Done.", "Here you go.")) + "\", \"data\": {\"text\": \"" + answer + "\"}}\n```";
        };
        return new String[] {qa[0] + " Reply as JSON.", json};
    }

    private String[] framed(List<String> frames) {
        String[] qa = pick(random.nextInt(3) == 0 ? SENSITIVE : BENIGN);
        String answer = random.nextBoolean() ? qa[1] : qa[1] + " " + qa[2];
        String text = pick(frames).replace("{answer}", answer);
        return new String[] {qa[0], style(text)};
    }

    /** Varies surface form: casing, apostrophes, markdown, trailing punctuation. */
    private String style(String text) {
        return switch (random.nextInt(14)) {
            case 0, 1 -> text.toLowerCase(Locale.ROOT);
            case 2 -> text.replace("'", "");
            case 3, 4 -> text.replace("'", "\u2019");
            case 5 -> text.toUpperCase(Locale.ROOT);
            case 6 -> "**" + text.replaceFirst("([.!?:])( |\\n|$)", "$1**$2");
            case 7 -> text.replaceAll("[.]$", "").replace(". ", "... ");
            case 8 -> text.replace("!", "!!").replace(" - ", " \u2014 ");
            default -> text;
        };
    }

    private static String fill(String template, String thing, String alternative) {
        String res = RESOURCES.get(Math.floorMod((thing + alternative).hashCode(), RESOURCES.size()));
        return template.replace("{Thing}", capitalise(thing)).replace("{thing}", thing)
                .replace("{alt}", alternative).replace("{res}", res)
                .replace("{general}", GENERAL.get(Math.floorMod(thing.hashCode() + alternative.length(), GENERAL.size())));
    }

    private static String join(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty()) {
                out.append(out.length() == 0 ? capitalise(part) : " " + part);
            }
        }
        return out.toString();
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
