package io.steerguard.tenant;

/** The outcome of choosing a steering profile for one request. */
public sealed interface ProfileChoice {

    /** The profile to apply; {@code explicit} when the client asked for it. */
    record Chosen(String profile, boolean explicit) implements ProfileChoice {
    }

    /** The model does not exist or this tenant may not use it (indistinguishable on purpose). */
    record UnknownModel(String model) implements ProfileChoice {
    }

    /** The requested profile does not exist for this tenant and model, or is not allowed. */
    record NotAllowed(String profile, String model) implements ProfileChoice {
    }
}
