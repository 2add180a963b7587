package io.steerguard.steering;

import java.util.Objects;

/**
 * A vector file cannot be used: it is not in the format it claims, it is truncated, or its contents
 * do not fit the model. The message reads {@code <file>: <field>: <detail>}, e.g.
 * {@code vectors/json.gguf: tensor direction.4: length 4096, model hidden size is 2048}.
 */
public final class VectorFileException extends RuntimeException {

    private final String file;
    private final String field;

    public VectorFileException(String file, String field, String detail) {
        this(file, field, detail, null);
    }

    public VectorFileException(String file, String field, String detail, Throwable cause) {
        super(file + ": " + field + ": " + detail, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The file at fault, as it was named to the reader. */
    public String file() {
        return file;
    }

    /** The field, key, tensor or section at fault (e.g. {@code header.version}, {@code tensor direction.4}). */
    public String field() {
        return field;
    }
}
