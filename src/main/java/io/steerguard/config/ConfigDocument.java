package io.steerguard.config;

/** A parsed configuration document; {@code kind} decides the concrete type. */
public sealed interface ConfigDocument permits RuntimeDocument, SteeringProfileDocument, TenantDocument,
        GuardrailPolicyDocument {

    /** The only {@code apiVersion} this release reads. */
    String API_VERSION = "steerguard.io/v1";

    DocumentMetadata metadata();

    /** Where the document starts, for messages about it as a whole. */
    SourceLocation location();

    default String name() {
        return metadata().name();
    }

    /** The document's {@code kind}. */
    String kind();
}
