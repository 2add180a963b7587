package io.steerguard.config;

import io.steerguard.runtime.SamplingDefaults;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code kind: Runtime}: a model backend; its name is the {@code model} clients request.
 *
 * @param spec embedded model or remote server settings
 */
public record RuntimeDocument(DocumentMetadata metadata, SourceLocation location, Spec spec) implements ConfigDocument {

    public static final String KIND = "Runtime";

    public RuntimeDocument {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Settings by runtime {@code type}. */
    public sealed interface Spec permits Embedded, Remote {
        /** The {@code type} as spelled in documents. */
        String type();
    }

    /**
     * {@code type: embedded}: an in-process DJL PyTorch model.
     *
     * @param model         the Hugging Face model folder, resolved against the gateway's base directory
     * @param device        {@code auto}, {@code cpu} or {@code cuda:N}
     * @param maxBatch      the most sequences decoded together
     * @param maxContext    prompt plus generated tokens per sequence; 0 means the model's own limit
     * @param queueCapacity requests waiting for a batch slot before new ones are refused with 503
     * @param sampling      decoding defaults for requests that omit {@code temperature}, {@code top_p} or
     *                      {@code top_k}; each field set here wins over the model's generation_config.json
     * @param toolCallParser how the model writes tool calls: {@code none} (requests with tools get a
     *                       400), {@code hermes} (Qwen2.5) or {@code llama3-json} (Llama 3.x)
     */
    public record Embedded(java.nio.file.Path model, String device, int maxBatch, int maxContext, int queueCapacity,
                           SamplingDefaults sampling, String toolCallParser) implements Spec {
        public Embedded {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(sampling, "sampling");
            Objects.requireNonNull(toolCallParser, "toolCallParser");
        }

        /** Without sampling defaults of its own (the model folder's apply) and without a tool-call parser. */
        public Embedded(java.nio.file.Path model, String device, int maxBatch, int maxContext, int queueCapacity) {
            this(model, device, maxBatch, maxContext, queueCapacity, SamplingDefaults.NONE, "none");
        }

        /** With sampling defaults, without a tool-call parser. */
        public Embedded(java.nio.file.Path model, String device, int maxBatch, int maxContext, int queueCapacity,
                        SamplingDefaults sampling) {
            this(model, device, maxBatch, maxContext, queueCapacity, sampling, "none");
        }

        /** With a tool-call parser, without sampling defaults of its own. */
        public Embedded(java.nio.file.Path model, String device, int maxBatch, int maxContext, int queueCapacity,
                        String toolCallParser) {
            this(model, device, maxBatch, maxContext, queueCapacity, SamplingDefaults.NONE, toolCallParser);
        }

        @Override
        public String type() {
            return "embedded";
        }
    }

    /** Remote protocol flavours. */
    public enum Flavor {
        /** Any OpenAI-compatible server; cannot steer. */
        OPENAI("openai"),
        /** vLLM with EasySteer: per-request {@code steering} object. */
        EASYSTEER("easysteer");

        private final String type;

        Flavor(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    /**
     * {@code type: openai | easysteer}: a server reached over HTTP.
     *
     * @param flavor          protocol flavour
     * @param baseUrl         base URL including {@code /v1}
     * @param upstreamModel   the model name the upstream knows
     * @param apiKeyEnv       name of the environment variable holding the upstream key, or {@code null}
     * @param connectTimeout  TCP connect timeout
     * @param readTimeout     longest silence between two upstream chunks
     * @param requestTimeout  longest whole request
     * @param maxConnections  pooled keep-alive connections
     * @param maxInFlight     concurrent requests before new ones get 503
     */
    public record Remote(Flavor flavor, URI baseUrl, String upstreamModel, String apiKeyEnv, Duration connectTimeout,
                         Duration readTimeout, Duration requestTimeout, int maxConnections, int maxInFlight)
            implements Spec {
        public Remote {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(upstreamModel, "upstreamModel");
        }

        @Override
        public String type() {
            return flavor.type();
        }
    }
}
