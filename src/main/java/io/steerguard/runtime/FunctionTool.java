package io.steerguard.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One tool a request offers the model: OpenAI's {@code {"type": "function", "function": {...}}}.
 *
 * @param name        1-64 characters of {@code a-z A-Z 0-9 _ -} (OpenAI's rule)
 * @param description what the function does, or {@code null}
 * @param parameters  the JSON Schema of the arguments as a plain JSON tree ({@code Map}, {@code List},
 *                    {@code String}, {@code Number}, {@code Boolean}, {@code null}; key order kept, so
 *                    a forwarded schema reads as the client wrote it), or {@code null} when omitted
 * @param strict      OpenAI's {@code strict} flag, or {@code null} when omitted
 */
public record FunctionTool(String name, String description, Map<String, Object> parameters, Boolean strict) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public FunctionTool {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a function name must be 1-64 characters of a-z, A-Z, 0-9, _ and -");
        }
        // unmodifiable view of a private copy: Map.copyOf would refuse JSON nulls and lose key order
        parameters = parameters == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
