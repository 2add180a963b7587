package io.steerguard.config;

import io.steerguard.runtime.SamplingDefaults;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code spec} of a {@code Runtime} document. */
final class RuntimeSpecParser {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|cuda(:\\d{1,2})?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RuntimeSpecParser() {
    }

    static Optional<RuntimeDocument.Spec> parse(String name, YamlView spec) {
        Optional<String> type = spec.has("type")
                ? spec.oneOf("type", List.of("embedded", "openai", "easysteer"))
                : spec.requiredString("type");
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return switch (type.get()) {
            case "embedded" -> embedded(spec);
            case "openai" -> remote(name, spec, RuntimeDocument.Flavor.OPENAI);
            default -> remote(name, spec, RuntimeDocument.Flavor.EASYSTEER);
        };
    }

    private static Optional<RuntimeDocument.Spec> embedded(YamlView spec) {
        spec.allowOnly(Set.of("type", "model", "device", "maxBatch", "maxContext", "queueCapacity", "sampling",
                "toolCallParser"));
        Optional<String> model = spec.requiredString("model");
        String device = spec.string("device").orElse("auto");
        if (!DEVICE.matcher(device).matches()) {
            spec.error("device", "expected auto, cpu or cuda:N, got '" + device + "'");
        }
        int maxBatch = spec.integer("maxBatch", 1, 256).orElse(8);
        int maxContext = spec.integer("maxContext", 0, 1_048_576).orElse(0);
        int queue = spec.integer("queueCapacity", 1, 100_000).orElse(64);
        SamplingDefaults sampling = spec.mapping("sampling").map(RuntimeSpecParser::sampling).orElse(SamplingDefaults.NONE);
        String toolCallParser = spec.oneOf("toolCallParser", List.of("none", "hermes", "llama3-json")).orElse("none");
        return model.map(m -> new RuntimeDocument.Embedded(Path.of(m), device, maxBatch, maxContext, queue, sampling,
                toolCallParser));
    }

    /** {@code sampling: {temperature, topP, topK}}, each optional, in OpenAI's ranges. */
    private static SamplingDefaults sampling(YamlView sampling) {
        sampling.allowOnly(Set.of("temperature", "topP", "topK"));
        Double temperature = sampling.number("temperature", 0, 2).orElse(null);
        Double topP = sampling.number("topP", 0, 1).orElse(null);
        if (topP != null && topP == 0) {
            sampling.error("topP", "must be greater than 0");
            topP = null;
        }
        Integer topK = sampling.integer("topK", 0, 1_000_000).orElse(null);
        return new SamplingDefaults(temperature, topP, topK);
    }

    private static Optional<RuntimeDocument.Spec> remote(String name, YamlView spec, RuntimeDocument.Flavor flavor) {
        spec.allowOnly(Set.of("type", "baseUrl", "upstreamModel", "apiKeyEnv", "connectTimeout", "readTimeout",
                "requestTimeout", "maxConnections", "maxInFlight"));
        Optional<URI> baseUrl = spec.requiredString("baseUrl").flatMap(u -> parseUrl(spec, u));
        String upstreamModel = spec.string("upstreamModel").orElse(name);
        String apiKeyEnv = spec.string("apiKeyEnv").orElse(null);
        if (apiKeyEnv != null && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            spec.error("apiKeyEnv", "expected an environment variable name, got '" + apiKeyEnv + "'");
        }
        Duration connect = positive(spec, "connectTimeout", Duration.ofSeconds(5));
        Duration read = positive(spec, "readTimeout", Duration.ofSeconds(60));
        Duration request = positive(spec, "requestTimeout", Duration.ofMinutes(10));
        int maxConnections = spec.integer("maxConnections", 1, 10_000).orElse(64);
        int maxInFlight = spec.integer("maxInFlight", 1, 1_000_000).orElse(1024);
        return baseUrl.map(u -> new RuntimeDocument.Remote(flavor, u, upstreamModel, apiKeyEnv, connect, read,
                request, maxConnections, maxInFlight));
    }

    private static Duration positive(YamlView spec, String key, Duration fallback) {
        Optional<Duration> d = spec.duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            spec.error(key, "must be longer than zero");
            return fallback;
        }
        return d.orElse(fallback);
    }

    private static Optional<URI> parseUrl(YamlView spec, String text) {
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                spec.error("baseUrl", "expected an http:// or https:// URL with a host, got '" + text + "'");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            spec.error("baseUrl", "not a valid URL: " + e.getMessage());
            return Optional.empty();
        }
    }
}
