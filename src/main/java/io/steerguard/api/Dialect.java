package io.steerguard.api;

/**
 * One OpenAI generation API served on the shared pipeline ({@link GenerationHandler}): how its
 * request body becomes a {@link CompletionRequest} and how its answer is written. Tenants,
 * profiles, policies, the shadow and the metrics are the pipeline's and the same for every dialect.
 * Beans of this type are routed by {@link Routes} at {@link #path()}; the built-in chat and text
 * completion dialects are routed there by name.
 */
public interface Dialect {

    /** The POST path, e.g. {@code /v1/responses}. */
    String path();

    /** The operation, for metric tags and admission. */
    Operation operation();

    /** Parses and validates one request body. */
    Parsed parse(byte[] body);

    /** The outcome of parsing one body. */
    sealed interface Parsed {
        /** A valid request and the format its answer is written in. */
        record Valid(CompletionRequest request, AnswerFormat.Factory answer) implements Parsed {
            public Valid {
                java.util.Objects.requireNonNull(request, "request");
                java.util.Objects.requireNonNull(answer, "answer");
            }
        }

        /** A request the client must fix. */
        record Invalid(OpenAiError error) implements Parsed {
            public Invalid {
                java.util.Objects.requireNonNull(error, "error");
            }
        }
    }
}
