package io.steerguard.runtime.embedded;

import io.steerguard.runtime.SamplingDefaults;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run one embedded model.
 *
 * @param name          the runtime's name, the OpenAI {@code model} clients ask for
 * @param modelDir      Hugging Face model folder (config.json, safetensors, tokenizer files)
 * @param device        {@code auto} (first CUDA device when DJL's PyTorch sees one, else CPU), {@code cpu}
 *                      or {@code cuda:N}
 * @param maxBatch      sequences decoded together; also the number of KV-cache slots
 * @param maxContext    prompt plus generated tokens per sequence; 0 picks the model's
 *                      {@code max_position_embeddings} capped at 4096 (and at Mistral's sliding window)
 * @param queueCapacity requests that may wait for a slot before new ones are rejected as overloaded
 * @param sampling      decoding defaults from the Runtime document; they take precedence over the
 *                      model folder's {@code generation_config.json} (a request's own fields over both)
 * @param toolCallParser how the model writes tool calls; {@link ToolCallFormat#NONE} refuses requests with tools
 */
public record EmbeddedRuntimeOptions(String name, Path modelDir, String device, int maxBatch, int maxContext,
                                     int queueCapacity, SamplingDefaults sampling, ToolCallFormat toolCallParser) {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|cuda:\\d+");
    /** Default cap on context when the config allows more: KV-cache memory is allocated for all of it. */
    public static final int DEFAULT_CONTEXT_CAP = 4096;

    public EmbeddedRuntimeOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(toolCallParser, "toolCallParser");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (!DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("device must be auto, cpu or cuda:N, got '" + device + "'");
        }
        if (maxBatch < 1 || maxBatch > 256) {
            throw new IllegalArgumentException("maxBatch must be within [1, 256]");
        }
        if (maxContext != 0 && maxContext < 2) {
            throw new IllegalArgumentException("maxContext must be 0 (model default) or at least 2");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must not be negative");
        }
    }

    /** Options without Runtime-document sampling defaults (the model folder's apply) and without a tool-call parser. */
    public EmbeddedRuntimeOptions(String name, Path modelDir, String device, int maxBatch, int maxContext,
                                  int queueCapacity) {
        this(name, modelDir, device, maxBatch, maxContext, queueCapacity, SamplingDefaults.NONE, ToolCallFormat.NONE);
    }

    /** Options with Runtime-document sampling defaults, without a tool-call parser. */
    public EmbeddedRuntimeOptions(String name, Path modelDir, String device, int maxBatch, int maxContext,
                                  int queueCapacity, SamplingDefaults sampling) {
        this(name, modelDir, device, maxBatch, maxContext, queueCapacity, sampling, ToolCallFormat.NONE);
    }

    /** Options with a tool-call parser, without Runtime-document sampling defaults. */
    public EmbeddedRuntimeOptions(String name, Path modelDir, String device, int maxBatch, int maxContext,
                                  int queueCapacity, ToolCallFormat toolCallParser) {
        this(name, modelDir, device, maxBatch, maxContext, queueCapacity, SamplingDefaults.NONE, toolCallParser);
    }

    /** Device auto, batch 8, model-default context, 64 waiting requests. */
    public static EmbeddedRuntimeOptions defaults(String name, Path modelDir) {
        return new EmbeddedRuntimeOptions(name, modelDir, "auto", 8, 0, 64);
    }

    public EmbeddedRuntimeOptions withDevice(String newDevice) {
        return new EmbeddedRuntimeOptions(name, modelDir, newDevice, maxBatch, maxContext, queueCapacity, sampling,
                toolCallParser);
    }

    public EmbeddedRuntimeOptions withMaxBatch(int newMaxBatch) {
        return new EmbeddedRuntimeOptions(name, modelDir, device, newMaxBatch, maxContext, queueCapacity, sampling,
                toolCallParser);
    }

    public EmbeddedRuntimeOptions withMaxContext(int newMaxContext) {
        return new EmbeddedRuntimeOptions(name, modelDir, device, maxBatch, newMaxContext, queueCapacity, sampling,
                toolCallParser);
    }

    public EmbeddedRuntimeOptions withQueueCapacity(int newQueueCapacity) {
        return new EmbeddedRuntimeOptions(name, modelDir, device, maxBatch, maxContext, newQueueCapacity, sampling,
                toolCallParser);
    }

    public EmbeddedRuntimeOptions withSampling(SamplingDefaults newSampling) {
        return new EmbeddedRuntimeOptions(name, modelDir, device, maxBatch, maxContext, queueCapacity, newSampling,
                toolCallParser);
    }

    public EmbeddedRuntimeOptions withToolCallParser(ToolCallFormat format) {
        return new EmbeddedRuntimeOptions(name, modelDir, device, maxBatch, maxContext, queueCapacity, sampling, format);
    }

    /** The context actually used for a model config. */
    int effectiveContext(ModelConfig config) {
        int context = maxContext > 0 ? maxContext : Math.min(config.maxPositions(), DEFAULT_CONTEXT_CAP);
        if (config.slidingWindow() > 0) {
            // beyond the window Mistral attends to a band, which this runtime does not implement
            context = Math.min(context, config.slidingWindow());
        }
        return context;
    }
}
