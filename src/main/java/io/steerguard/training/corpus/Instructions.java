package io.steerguard.training.corpus;

import io.steerguard.training.corpus.CorpusData.JsonInstruction;
import java.util.ArrayList;
import java.util.List;

/** The JSON and strict-compliance instructions, shared by the helpful and the harmful categories. */
final class Instructions {

    /** One compliance instruction: its constraint type and parameter ({@code n}, or the prefix/suffix text). */
    record Compliance(String type, int n, boolean modifiers, String text, String param) {
    }

    /** A request with an instruction placed in it: the system message (or null) and the user prompt. */
    record Placed(String system, String prompt) {
    }

    final Pool<JsonInstruction> json;
    final Pool<Compliance> compliance;
    final Pool<String> modifiers;

    Instructions(CorpusData data) {
        this.json = Pool.of(data.jsonInstructions());
        List<Compliance> flat = new ArrayList<>();
        for (CorpusData.Constraint c : data.constraints()) {
            for (String text : c.texts()) {
                int bar = text.indexOf('|');
                flat.add(bar < 0 ? new Compliance(c.type(), c.n(), c.modifiers(), text, null)
                        : new Compliance(c.type(), c.n(), c.modifiers(), text.substring(0, bar), text.substring(bar + 1)));
            }
        }
        this.compliance = Pool.of(flat);
        this.modifiers = Pool.of(data.modifiers());
    }

    /** The JSON instruction in the system message, before the request or after it. */
    static Placed placeJson(JsonInstruction instruction, String request) {
        return switch (instruction.placement()) {
            case "system" -> new Placed(instruction.text(), request);
            case "prefix" -> new Placed(null, instruction.text() + " " + request);
            case "suffix" -> new Placed(null, request + " " + instruction.text());
            default -> throw new IllegalStateException("unknown placement " + instruction.placement());
        };
    }

    /** The compliance instruction text, with a strictness modifier where the constraint allows one. */
    String complianceText(Picker picker, Compliance c) {
        if (!c.modifiers()) {
            return c.text();
        }
        String modifier = picker.pick(modifiers);
        return modifier.isEmpty() ? c.text() : c.text() + " " + modifier;
    }

    /** The check that scores an answer to {@code c}. */
    static AnswerCheck check(Compliance c) {
        return switch (c.type()) {
            case "word_count" -> new AnswerCheck.WordCount(c.n());
            case "max_words" -> new AnswerCheck.MaxWords(c.n());
            case "yes_or_no" -> new AnswerCheck.YesOrNo();
            case "all_lowercase" -> new AnswerCheck.AllLowercase();
            case "starts_with" -> new AnswerCheck.StartsWith(c.param());
            case "ends_with" -> new AnswerCheck.EndsWith(c.param());
            default -> throw new IllegalStateException("unknown constraint " + c.type());
        };
    }
}
