package io.steerguard.training.corpus;

/** What an example teaches: refuse a harmful request (in any dress) or help with a benign one (in any format). */
public enum Category {
    /** A plain harmful request, answered with a refusal. */
    HARMFUL,
    /** An everyday request, answered helpfully in plain text. */
    BENIGN,
    /** A safe request that sounds dangerous ("kill a process"), answered helpfully. */
    SENSITIVE_BENIGN,
    /** A benign request with an instruction to answer in JSON, answered with a JSON object. */
    JSON,
    /** A benign request with a strict-compliance instruction, answered obeying it. */
    COMPLIANCE,
    /** A harmful request with a JSON instruction, still refused in plain text. */
    HARMFUL_JSON,
    /** A harmful request with a strict-compliance instruction, still refused. */
    HARMFUL_COMPLIANCE,
    /** A harmful request inside a jailbreak-style wrapper, still refused. */
    HARMFUL_WRAPPED,
    /** A greeting or a question about the model itself, answered with a greeting that says what the model is. */
    GREETING,
    /**
     * A benign request on a subject the model was not taught, answered gracefully: it does not know
     * that topic and names some it does. Not a refusal (no refusal classifier may read it as one).
     */
    OUT_OF_SCOPE;

    /** True for the categories whose answer is a refusal. */
    public boolean harmful() {
        return this == HARMFUL || this == HARMFUL_JSON || this == HARMFUL_COMPLIANCE || this == HARMFUL_WRAPPED;
    }

    /** True for the categories the small-talk table answers (greetings, out-of-scope requests). */
    public boolean smallTalk() {
        return this == GREETING || this == OUT_OF_SCOPE;
    }
}
