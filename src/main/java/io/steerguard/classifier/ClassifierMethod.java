package io.steerguard.classifier;

/** The classifier tiers; {@link #id()} is the value found in {@link Verdict#method()}. */
public enum ClassifierMethod {
    LEXICAL("lexical"),
    EMBEDDING("embedding"),
    LEARNED("learned"),
    JUDGE("judge"),
    ACTIVATION("activation"),
    ENSEMBLE("ensemble");

    private final String id;

    ClassifierMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
