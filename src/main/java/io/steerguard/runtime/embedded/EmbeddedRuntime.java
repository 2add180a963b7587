package io.steerguard.runtime.embedded;

import io.steerguard.djl.DjlOffline;
import ai.djl.Device;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.ToolChoice;
import io.steerguard.runtime.Tools;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Collectors;

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
        return new RuntimeCapabilities(true, tokenizer.hasChatTemplate(), true,
                tokenizer.templateRendersTools() && options.toolCallParser() != ToolCallFormat.NONE);
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
        Optional<RuntimeFault> rejection = reject(request);
        if (rejection.isPresent()) {
            return Multi.createFrom().failure(rejection.get());
        }
        int n = sampling.n();
        // tool_choice none: the tools are neither shown to the model nor parsed from its answer
        List<FunctionTool> tools = request.tools().callsPossible() ? request.tools().functions() : List.of();
        Set<String> offered = tools.stream().map(FunctionTool::name).collect(Collectors.toSet());
        return Multi.createFrom().<GenerationEvent>emitter(emitter -> {
            // n > 1: n sequences of the same prompt, batched by the engine like any others
            ChoiceMerger merger = n > 1 ? new ChoiceMerger(emitter, n) : null;
            List<InferenceEngine.Sequence> submitted = new CopyOnWriteArrayList<>();
            AtomicBoolean over = new AtomicBoolean();
            emitter.onTermination(() -> {
                over.set(true);
                for (InferenceEngine.Sequence s : submitted) {
                    engine.cancel(s);
                }
            });
            try {
                for (int i = 0; i < n && !over.get(); i++) {
                    ToolCallStream calls = tools.isEmpty() ? null
                            : options.toolCallParser().parser().map(p -> new ToolCallStream(p, offered)).orElse(null);
                    TextEvents events = new TextEvents(emitter, tokenizer.newDetokenizer(),
                            new StopMatcher(sampling.stop()), i, merger, calls);
                    submitted.add(engine.submit(new SequenceRequest(n == 1 ? request.requestId()
                            : request.requestId() + "#" + i, () -> encode(request.prompt(), tools), sampling.maxTokens(),
                            tokenizer.eosTokenIds(), chooser(choiceSampling(sampling, i)), request.steering(),
                            request.introspection(), request.priority()), events));
                }
                if (over.get()) {
                    submitted.forEach(engine::cancel);
                }
            } catch (RuntimeFault f) {
                emitter.fail(f);
            }
        }).emitOn(Infrastructure.getDefaultExecutor());
    }

    /**
     * Choice {@code i}'s parameters: with a seed, choice i draws from seed + i, so each choice differs
     * from the others and the set is reproducible; greedy choices are identical whatever the seed.
     */
    private static SamplingParams choiceSampling(SamplingParams s, int i) {
        if (i == 0 || s.seed() == null) {
            return s;
        }
        return new SamplingParams(s.maxTokens(), s.temperature(), s.topP(), s.topK(), s.seed() + i, s.stop(),
                s.logprobs(), s.n(), s.presencePenalty(), s.frequencyPenalty(), s.logitBias());
    }

    /** What this runtime cannot do for {@code request}, named so the client's 400 says why. */
    private Optional<RuntimeFault> reject(GenerationRequest request) {
        Tools tools = request.tools();
        if (tools.callsPossible() && !capabilities().tools()) {
            return Optional.of(unsupported("cannot serve 'tools': tool calling needs a chat template that renders "
                    + "'tools' and a tool-call parser (toolCallParser), and this runtime " + (tokenizer.templateRendersTools()
                    ? "has no toolCallParser set" : "has a chat template that does not render 'tools'")));
        }
        if (tools.callsPossible() && !(request.prompt() instanceof Prompt.Chat)) {
            return Optional.of(unsupported("serves 'tools' only on chat requests, whose template renders them"));
        }
        if (tools.choice() instanceof ToolChoice.Function f) {
            return Optional.of(unsupported("cannot force a call to '" + f.name() + "' (tool_choice naming a "
                    + "function): it parses calls from free generation and does not constrain decoding; "
                    + "send tool_choice 'auto' or 'required'"));
        }
        for (int token : request.sampling().logitBias().keySet()) {
            if (token >= config.vocabSize()) {
                return Optional.of(new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, "logit_bias names token id "
                        + token + ", outside the vocabulary of runtime '" + name() + "' (0.." + (config.vocabSize() - 1)
                        + ")"));
            }
        }
        return Optional.empty();
    }

    private RuntimeFault unsupported(String what) {
        return new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED, "runtime '" + name() + "' (embedded) " + what);
    }

    /** Runs on the inference thread at admission. */
    private int[] encode(Prompt prompt, List<FunctionTool> tools) {
        if (prompt instanceof Prompt.Tokens t) {
            return t.ids();
        }
        if (prompt instanceof Prompt.Chat c) {
            return tokenizer.encodeChat(c.messages(), tools);
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
