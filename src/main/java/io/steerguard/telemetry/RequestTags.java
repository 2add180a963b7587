package io.steerguard.telemetry;

import java.util.Objects;

/**
 * The bounded tag set of one gateway request. Every value is a configured id or an enum spelling,
 * never user input: a request for an unknown model is tagged {@link #NONE}, not with the name it asked for.
 *
 * @param operation {@code chat} or {@code text_completion} (OpenTelemetry {@code gen_ai.operation.name})
 * @param tenant    configured tenant id
 * @param model     configured runtime name
 * @param profile   configured steering profile id or {@code unsteered}
 * @param decision  {@code steered}, {@code unsteered}, {@code fallback-unsteered}, {@code rejected}
 */
public record RequestTags(String operation, String tenant, String model, String profile, String decision) {

    /** The tag value for "not known (yet)". */
    public static final String NONE = "none";

    public RequestTags {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(decision, "decision");
    }

    public static RequestTags unknown(String operation) {
        return new RequestTags(operation, NONE, NONE, NONE, NONE);
    }

    public RequestTags withTenant(String newTenant) {
        return new RequestTags(operation, newTenant, model, profile, decision);
    }

    public RequestTags withModel(String newModel) {
        return new RequestTags(operation, tenant, newModel, profile, decision);
    }

    public RequestTags withProfile(String newProfile, String newDecision) {
        return new RequestTags(operation, tenant, model, newProfile, newDecision);
    }
}
