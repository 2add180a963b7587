package io.steerguard.runtime.embedded;

import ai.djl.Device;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The embedded steerable transformer: a Hugging Face model folder served from this JVM with DJL
 * on PyTorch, continuous batching, per-sequence steering and introspection.
 *
 * <p>Inference runs on one dedicated thread per runtime; {@link #generate} only queues work and
 * delivers events on Mutiny's default executor, so neither the subscriber's thread nor the
 * inference thread waits for the other.
 */
public final class EmbeddedRuntime implements ModelRuntime {

    private static final Logger LOG = Logger.getLogger(EmbeddedRuntime.class.getName());

    private final EmbeddedRuntimeOptions options;
    private final ModelConfig config;
    private final ModelTokenizer tokenizer;
    private final InferenceEngine engine;
    private final SamplingDefaults samplingDefaults;

    private EmbeddedRuntime(EmbeddedRuntimeOptions options, ModelConfig config, ModelTokenizer tokenizer,
                            InferenceEngine engine, SamplingDefaults samplingDefaults) {
        this.options = options;
        this.config = config;
        this.tokenizer = tokenizer;
        this.engine = engine;
        this.samplingDefaults = samplingDefaults;
    }

    /**
     * Loads the model and tokenizer and starts the inference thread. Blocking (seconds for large
     * models): call it at startup, not on an event loop.
     *
     * @throws ModelLoadException naming the folder and the file, field or tensor that is wrong
     */
    public static EmbeddedRuntime load(EmbeddedRuntimeOptions options) {
        DjlOffline.ensure();
        ModelConfig config = ModelConfig.load(options.modelDir());
        // the Runtime document's defaults first, then the model folder's (read before anything is started)
        SamplingDefaults sampling = options.sampling().orElse(
                GenerationConfigDefaults.read(options.modelDir(), LOG::warning));
        ModelTokenizer tokenizer = ModelTokenizer.load(options.modelDir());
        int context = options.effectiveContext(config);
        Device device = Devices.resolve(options.device(), options.modelDir());
        Transformer model;
        try {
            model = Transformer.load(options.modelDir(), device, options.maxBatch(), context);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        long kvBytes = 2L * config.numLayers() * options.maxBatch() * context * config.numKvHeads() * config.headDim() * 4;
        LOG.info(() -> String.format("embedded runtime %s: %s on %s, %d layers, batch %d, context %d, KV cache %d MiB",
                options.name(), config.family().architecture(), device, config.numLayers(), options.maxBatch(),
                context, kvBytes >> 20));
        InferenceEngine engine = new InferenceEngine(options.name(), model, options.maxBatch(), context,
                options.queueCapacity(), 2048);
        return new EmbeddedRuntime(options, config, tokenizer, engine, sampling);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public RuntimeCapabilities capabilities() {
        return new RuntimeCapabilities(true, tokenizer.hasChatTemplate(), true);
    }

    /** The Runtime document's sampling defaults over the model folder's generation_config.json. */
    @Override
    public SamplingDefaults samplingDefaults() {
        return samplingDefaults;
    }

    /** The model's architecture, e.g. for validating steering vectors' width and layers. */
    public ModelConfig modelConfig() {
        return config;
    }

    /** The model's tokenizer, e.g. for resolving refusal-starting token ids. */
    public ModelTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Multi<GenerationEvent> generate(GenerationRequest request) {
        SamplingParams sampling = request.sampling();
        return Multi.createFrom().<GenerationEvent>emitter(emitter -> {
            TextEvents events = new TextEvents(emitter, tokenizer.newDetokenizer(), new StopMatcher(sampling.stop()));
            AtomicReference<InferenceEngine.Sequence> submitted = new AtomicReference<>();
            emitter.onTermination(() -> {
                InferenceEngine.Sequence s = submitted.get();
                if (s != null) {
                    engine.cancel(s);
                }
            });
            try {
                submitted.set(engine.submit(new SequenceRequest(request.requestId(), () -> encode(request.prompt()),
                        sampling.maxTokens(), tokenizer.eosTokenIds(), chooser(sampling), request.steering(),
                        request.introspection(), request.priority()), events));
            } catch (RuntimeFault f) {
                emitter.fail(f);
            }
        }).emitOn(Infrastructure.getDefaultExecutor());
    }

    /** Runs on the inference thread at admission. */
    private int[] encode(Prompt prompt) {
        if (prompt instanceof Prompt.Tokens t) {
            return t.ids();
        }
        if (prompt instanceof Prompt.Chat c) {
            return tokenizer.encodeChat(c.messages());
        }
        return tokenizer.encodePrompt(((Prompt.Text) prompt).text());
    }

    private static TokenChooser chooser(SamplingParams params) {
        Sampler sampler = new Sampler(params);
        boolean logprobs = params.logprobs();
        return new TokenChooser() {
            @Override
            public int choose(float[] logits) {
                return sampler.sample(logits);
            }

            @Override
            public double logProb(float[] logits, int tokenId) {
                return logprobs ? sampler.logProb(logits, tokenId) : Double.NaN;
            }
        };
    }

    /** Sequences in the running batch. */
    int runningSequences() {
        return engine.runningCount();
    }

    @Override
    public void close() {
        engine.close();
        tokenizer.close();
    }
}
