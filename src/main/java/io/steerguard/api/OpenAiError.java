package io.steerguard.api;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.steerguard.runtime.RuntimeFault;
import io.vertx.core.buffer.Buffer;

/**
 * An error in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with the HTTP
 * status it is sent with. OpenAI SDKs (and LangChain4j) map the status to exception types.
 */
public record OpenAiError(int status, String message, String type, String param, String code) {

    /** Emoji and other non-BMP characters go out as UTF-8 bytes, not as escaped surrogate pairs. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    public OpenAiError {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status, got " + status);
        }
        if (message == null || type == null) {
            throw new IllegalArgumentException("message and type are required");
        }
    }

    public static OpenAiError invalidRequest(String message, String param) {
        return new OpenAiError(400, message, "invalid_request_error", param, null);
    }

    public static OpenAiError invalidApiKey() {
        return new OpenAiError(401, "Incorrect API key provided. Send your SteerGuard key as 'Authorization: Bearer <key>'.",
                "invalid_request_error", null, "invalid_api_key");
    }

    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, "The model '" + model + "' does not exist or you do not have access to it.",
                "invalid_request_error", "model", "model_not_found");
    }

    public static OpenAiError profileNotAllowed(String profile, String model) {
        return new OpenAiError(403, "Steering profile '" + profile + "' does not exist for model '" + model
                + "' or is not allowed for your API key.", "permission_error", "steering.profile",
                "steering_profile_not_allowed");
    }

    public static OpenAiError profileNotFound(String name) {
        return new OpenAiError(404, "No steering profile named '" + name + "'.", "invalid_request_error", "name",
                "profile_not_found");
    }

    public static OpenAiError profileBlocked(String profile, String code) {
        return new OpenAiError(403, "Steering profile '" + profile + "' is blocked (its measured safety cost "
                + "exceeded a guardrail policy's limits, or an operator blocked it); ask your operator, or select "
                + "another profile.", "permission_error", "steering.profile", code);
    }

    public static OpenAiError bodyTooLarge(int limit) {
        return new OpenAiError(413, "Request body is larger than the limit of " + limit + " bytes.",
                "invalid_request_error", null, "request_too_large");
    }

    public static OpenAiError rateLimited(String tenant) {
        return new OpenAiError(429, "Rate limit reached for tenant '" + tenant + "'. Retry after the time in the "
                + "Retry-After header.", "requests", null, "rate_limit_exceeded");
    }

    public static OpenAiError concurrencyLimited(String tenant, int limit) {
        return new OpenAiError(429, "Tenant '" + tenant + "' already has " + limit + " requests in flight; retry when "
                + "one has finished.", "requests", null, "concurrency_limit_exceeded");
    }

    public static OpenAiError notFound(String path) {
        return new OpenAiError(404, "Unknown endpoint " + path + ".", "invalid_request_error", null, "not_found");
    }

    public static OpenAiError methodNotAllowed(String method, String path) {
        return new OpenAiError(405, "Method " + method + " is not allowed on " + path + ".",
                "invalid_request_error", null, "method_not_allowed");
    }

    public static OpenAiError internal() {
        return new OpenAiError(500, "The gateway failed to process the request; it has been logged.",
                "server_error", null, "internal_error");
    }

    /** Maps a runtime fault to the status a client should see; upstream details are summarised, never dumped. */
    public static OpenAiError fromFault(String model, RuntimeFault fault) {
        return switch (fault.kind()) {
            case INVALID_REQUEST, UNSUPPORTED -> new OpenAiError(400, fault.getMessage(), "invalid_request_error",
                    null, null);
            case UNAVAILABLE -> new OpenAiError(502, "The runtime for model '" + model + "' is unavailable: "
                    + fault.getMessage(), "server_error", null, "upstream_unavailable");
            case TIMEOUT -> new OpenAiError(504, "The runtime for model '" + model + "' timed out: "
                    + fault.getMessage(), "server_error", null, "upstream_timeout");
            case UPSTREAM_ERROR -> new OpenAiError(502, "The runtime for model '" + model + "' failed: "
                    + fault.getMessage(), "server_error", null, "upstream_error");
            case OVERLOADED -> new OpenAiError(503, "The runtime for model '" + model + "' is at capacity; retry "
                    + "later.", "server_error", null, "overloaded");
            // An internal fault's message is built from an exception (class names, paths, native
            // errors): it is logged with the request, never sent.
            case INTERNAL -> new OpenAiError(500, "The runtime for model '" + model + "' failed internally; the "
                    + "error has been logged.", "server_error", null, "runtime_error");
        };
    }

    /** The JSON body. */
    public Buffer toJson() {
        return Buffer.buffer(toJsonBytes());
    }

    public byte[] toJsonBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type);
            g.writeStringField("param", param);
            g.writeStringField("code", code);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
