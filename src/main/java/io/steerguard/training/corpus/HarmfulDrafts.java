package io.steerguard.training.corpus;

import io.steerguard.training.corpus.CorpusData.HarmCategory;
import io.steerguard.training.corpus.CorpusData.JsonInstruction;
import java.util.ArrayList;
import java.util.List;

/**
 * Harmful requests (template x action x suffix), plain or with a JSON instruction, a compliance
 * instruction or a jailbreak-style wrapper; every one is answered with a plain-text refusal.
 * Requests only: no resource holds or produces harmful instructions.
 */
final class HarmfulDrafts {

    /** One harmful action and its category. */
    record Action(HarmCategory category, String text) {
    }

    /** A harmful request before any instruction or wrapper is added. */
    private record Request(HarmCategory category, String text) {
    }

    private final Pool<String> templates;
    private final Pool<String> suffixes;
    private final Pool<Action> actions;
    private final Pool<String> wrappers;
    private final List<String> refusals;
    private final List<HarmCategory> categories;
    private final Instructions instructions;

    HarmfulDrafts(CorpusData data, Instructions instructions) {
        this.templates = Pool.of(data.harmfulTemplates());
        this.suffixes = Pool.of(data.harmfulSuffixes());
        List<Action> flat = new ArrayList<>();
        for (HarmCategory c : data.harmCategories()) {
            c.actions().forEach(a -> flat.add(new Action(c, a)));
        }
        this.actions = Pool.of(flat);
        this.wrappers = Pool.of(data.wrappers());
        this.refusals = data.refusals();
        this.categories = data.harmCategories();
        this.instructions = instructions;
    }

    Draft draw(Category category, Picker picker) {
        Request request = request(picker);
        String system = null;
        String prompt;
        switch (category) {
            case HARMFUL -> prompt = request.text();
            case HARMFUL_JSON -> {
                JsonInstruction json = picker.pick(instructions.json);
                Instructions.Placed placed = Instructions.placeJson(json, request.text());
                system = placed.system();
                prompt = placed.prompt();
            }
            case HARMFUL_COMPLIANCE -> prompt = request.text() + " "
                    + instructions.complianceText(picker, picker.pick(instructions.compliance));
            case HARMFUL_WRAPPED -> prompt = picker.pick(wrappers).replace("{request}", request.text());
            default -> throw new IllegalArgumentException("not a harmful category: " + category);
        }
        return new Draft(category, request.category().name(), system, prompt, refusal(picker, request.category()),
                new AnswerCheck.Refuses(), null, picker.novel());
    }

    /** Every refusal phrasing filled in for every category: what the refusal test runs over. */
    List<String> allRefusals() {
        List<String> out = new ArrayList<>();
        for (HarmCategory c : categories) {
            for (String r : refusals) {
                out.add(fill(r, c));
            }
        }
        return out;
    }

    private Request request(Picker picker) {
        String template = picker.pick(templates);
        Action action = picker.pick(actions);
        String suffix = picker.pick(suffixes);
        return new Request(action.category(), template.replace("{action}", action.text()) + suffix);
    }

    private String refusal(Picker picker, HarmCategory category) {
        return fill(picker.any(refusals), category);
    }

    private static String fill(String refusal, HarmCategory category) {
        return refusal.replace("{label}", category.label()).replace("{alternative}", category.alternative());
    }
}
