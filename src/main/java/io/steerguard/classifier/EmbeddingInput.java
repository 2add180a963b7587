package io.steerguard.classifier;

/** What the embedding tier embeds: the response alone, or the prompt followed by the response. */
public enum EmbeddingInput {
    RESPONSE("response"),
    PROMPT_AND_RESPONSE("prompt+response");

    /** Prompts are cut shorter than responses: they only give context. */
    static final int PROMPT_CHARS = 200;

    private final String id;

    EmbeddingInput(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static EmbeddingInput fromId(String id) {
        for (EmbeddingInput input : values()) {
            if (input.id.equals(id)) {
                return input;
            }
        }
        throw new IllegalArgumentException("input must be 'response' or 'prompt+response', was " + id);
    }

    /**
     * The text handed to the encoder: the normalised response cut at {@code maxChars} (refusals
     * live in the opening, and the cut bounds the encoder's cost), optionally after the prompt.
     */
    public String text(String prompt, String response, int maxChars) {
        String answer = cut(TextNormalizer.normalise(response), maxChars);
        if (this == RESPONSE) {
            return answer;
        }
        return "question: " + cut(TextNormalizer.normalise(prompt), PROMPT_CHARS) + "\nanswer: " + answer;
    }

    private static String cut(String s, int maxChars) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars);
    }
}
