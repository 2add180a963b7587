package io.steerguard.steering;

import java.util.Objects;

/**
 * Something about a vector file worth telling an operator that does not stop it from being used,
 * e.g. a model-hint mismatch under {@link VectorValidation.HintPolicy#WARN}.
 *
 * @param file   the vector file
 * @param field  the field concerned
 * @param detail what is odd about it
 */
public record VectorWarning(String file, String field, String detail) {

    public VectorWarning {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code file: field: detail}, the same shape as a {@link VectorFileException} message. */
    public String message() {
        return file + ": " + field + ": " + detail;
    }
}
