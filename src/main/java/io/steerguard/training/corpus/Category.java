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
    HARMFUL_WRAPPED;

    /** True for the categories whose answer is a refusal. */
    public boolean harmful() {
        return this == HARMFUL || this == HARMFUL_JSON || this == HARMFUL_COMPLIANCE || this == HARMFUL_WRAPPED;
    }
}
