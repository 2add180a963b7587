package io.steerguard.training.corpus;

/**
 * A generated example before it gets its id and split. {@code negative} is the same request
 * without its JSON or compliance instruction (for contrast pairs), or null; {@code novel} says
 * whether a held-out part was used.
 */
record Draft(Category category, String topic, String system, String prompt, String response, AnswerCheck check,
        String negative, boolean novel) {
}
