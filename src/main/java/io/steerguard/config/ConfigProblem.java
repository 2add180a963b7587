package io.steerguard.config;

import java.util.Objects;

/**
 * One thing wrong (or suspicious) in a configuration document.
 *
 * @param severity  errors reject the whole change; warnings are logged and the change applies
 * @param location  file, line and column of the offending node
 * @param fieldPath dotted path of the field inside the document, e.g. {@code spec.vectors[0].layers}
 * @param message   what is wrong and what was expected
 */
public record ConfigProblem(Severity severity, SourceLocation location, String fieldPath, String message) {

    /** Whether a problem blocks the configuration change. */
    public enum Severity { ERROR, WARNING }

    public ConfigProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(fieldPath, "fieldPath");
        Objects.requireNonNull(message, "message");
    }

    public static ConfigProblem error(SourceLocation location, String fieldPath, String message) {
        return new ConfigProblem(Severity.ERROR, location, fieldPath, message);
    }

    public static ConfigProblem warning(SourceLocation location, String fieldPath, String message) {
        return new ConfigProblem(Severity.WARNING, location, fieldPath, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:column: field: message}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        String prefix = severity == Severity.WARNING ? "warning: " : "";
        return location + ": " + prefix + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + message;
    }
}
