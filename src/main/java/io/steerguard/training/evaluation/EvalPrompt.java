package io.steerguard.training.evaluation;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One held-out prompt as the evaluation uses it: the corpus example's id, category name, optional
 * system message, the user prompt, and the example's own answer check. Kept apart from the corpus
 * types so the runtime driving and statistics do not depend on how the corpus is generated.
 *
 * @param check whether an answer satisfies the example's constraint (helps, valid JSON, ...)
 */
public record EvalPrompt(String id, String category, String system, String prompt, Predicate<String> check) {

    public EvalPrompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(check, "check");
        if (system != null && system.isBlank()) {
            throw new IllegalArgumentException("system must be null or non-blank");
        }
    }

    /** The same example with another user prompt (an attack template around it), same check. */
    public EvalPrompt withPrompt(String newPrompt) {
        return new EvalPrompt(id, category, system, newPrompt, check);
    }
}
