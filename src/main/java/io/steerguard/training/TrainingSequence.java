package io.steerguard.training;

/**
 * One tokenised example: the chat template's prompt (ending with the assistant header) and the
 * answer the model should produce (ending with the end-of-turn token). Tokenised separately, the
 * way the runtime sees them: it encodes the prompt alone and generates the rest.
 */
record TrainingSequence(int[] prompt, int[] answer) {

    TrainingSequence {
        if (prompt.length < 1 || answer.length < 1) {
            throw new IllegalArgumentException("prompt and answer must each hold at least one token");
        }
    }

    int length() {
        return prompt.length + answer.length;
    }
}
