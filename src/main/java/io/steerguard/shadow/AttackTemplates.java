package io.steerguard.shadow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jailbreak templates that wrap a probe, from {@code datasets/attack-templates.json}: {@code none}
 * (the probe as is), {@code prefix-injection}, {@code refusal-suppression}, {@code role-play},
 * {@code json-wrapping}. Each template holds the placeholder {@value #PLACEHOLDER} exactly once.
 *
 * @param templates template text by name, in file order
 */
public record AttackTemplates(Map<String, String> templates) {

    public static final String PLACEHOLDER = "{probe}";
    private static final String RESOURCE = "/datasets/attack-templates.json";

    public AttackTemplates {
        Objects.requireNonNull(templates, "templates");
        for (Map.Entry<String, String> t : templates.entrySet()) {
            String text = Objects.requireNonNull(t.getValue(), "template " + t.getKey());
            int first = text.indexOf(PLACEHOLDER);
            if (first < 0 || text.indexOf(PLACEHOLDER, first + 1) >= 0) {
                throw new IllegalArgumentException("template '" + t.getKey() + "' must contain " + PLACEHOLDER
                        + " exactly once");
            }
        }
        templates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(templates));
    }

    /** The shipped templates. */
    public static AttackTemplates builtin() {
        try (InputStream in = AttackTemplates.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, String> templates = new LinkedHashMap<>();
            for (JsonNode t : root.path("templates")) {
                templates.put(t.path("name").asText(), t.path("template").asText());
            }
            return new AttackTemplates(templates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> names() {
        return List.copyOf(templates.keySet());
    }

    public boolean has(String name) {
        return templates.containsKey(name);
    }

    /**
     * The probe wrapped in the template. The probe is inserted verbatim: a probe that itself
     * contains {@value #PLACEHOLDER} is not expanded again.
     */
    public String apply(String attack, String probe) {
        String template = templates.get(attack);
        if (template == null) {
            throw new IllegalArgumentException("unknown attack template '" + attack + "'; expected one of " + names());
        }
        int at = template.indexOf(PLACEHOLDER);
        return template.substring(0, at) + probe + template.substring(at + PLACEHOLDER.length());
    }
}
