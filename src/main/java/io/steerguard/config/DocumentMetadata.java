package io.steerguard.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code metadata} block every document carries.
 *
 * @param name   unique per kind; for {@code Runtime} it is the OpenAI {@code model} clients ask for
 * @param labels free-form owner/team labels, used by policy selectors
 */
public record DocumentMetadata(String name, Map<String, String> labels) {

    /** Names look like Kubernetes resource names (and may contain dots and underscores, as model ids do). */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

    public DocumentMetadata {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metadata.name must match " + NAME.pattern() + ": " + name);
        }
        labels = Map.copyOf(labels);
    }
}
