package io.steerguard.training.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;

/**
 * Answers prompts greedily on an embedded runtime, many requests in flight so its continuous
 * batching fills every slot. Prompts whose chat rendering does not leave room for one generated
 * token in the runtime's context are not sent; their answer is {@code null} and they are counted.
 */
public final class Answerer {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final EmbeddedRuntime runtime;
    private final int context;
    private final int maxTokens;
    private final int inFlight;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();

    /**
     * @param context  the runtime's context in tokens (prompt plus generated tokens)
     * @param inFlight requests submitted before waiting for answers; keep it within the runtime's
     *                 batch plus queue capacity
     */
    public Answerer(EmbeddedRuntime runtime, int context, int maxTokens, int inFlight) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        if (context < 2 || maxTokens < 1 || inFlight < 1) {
            throw new IllegalArgumentException("context must be >= 2, maxTokens and inFlight >= 1");
        }
        this.context = context;
        this.maxTokens = maxTokens;
        this.inFlight = inFlight;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Generations run so far (for timing figures). */
    public long generations() {
        return generations.get();
    }

    /** The chat the model sees: the example's system message, if any, and the user prompt. */
    static List<ChatMessage> messages(EvalPrompt p) {
        return p.system() == null ? List.of(ChatMessage.user(p.prompt()))
                : List.of(ChatMessage.system(p.system()), ChatMessage.user(p.prompt()));
    }

    /** Whether the prompt leaves room for at least one generated token. */
    public boolean fits(EvalPrompt p) {
        return runtime.tokenizer().encodeChat(messages(p)).length < context;
    }

    /** One greedy answer per prompt, in order; {@code null} for prompts longer than the context. Blocking. */
    public List<String> answer(List<EvalPrompt> prompts, SteeringSpec steering) throws InterruptedException {
        return answer(prompts, steering, i -> SamplingParams.greedy(maxTokens));
    }

    /**
     * The decoding a client gets when it sends no temperature, top_p or top_k: the runtime's defaults
     * (its Runtime document, then the model's generation_config.json), then OpenAI's.
     */
    public SamplingDefaults defaults() {
        return runtime.samplingDefaults().orElse(SamplingDefaults.OPENAI);
    }

    /**
     * One answer per prompt, unsteered, sampled at {@link #defaults()}; prompt i uses seed
     * {@code seed + i}, so the answers are reproducible. Blocking.
     */
    public List<String> answerAtDefaults(List<EvalPrompt> prompts, long seed) throws InterruptedException {
        SamplingDefaults d = defaults();
        return answer(prompts, SteeringSpec.none(), i -> new SamplingParams(maxTokens, d.temperature(), d.topP(),
                d.topK(), seed + i, List.of(), false));
    }

    private List<String> answer(List<EvalPrompt> prompts, SteeringSpec steering,
                                java.util.function.IntFunction<SamplingParams> sampling) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<String>> futures = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            EvalPrompt p = prompts.get(i);
            if (!fits(p)) {
                futures.add(CompletableFuture.completedFuture(null));
                continue;
            }
            slots.acquire();
            GenerationRequest request = new GenerationRequest("eval-" + ids.incrementAndGet(),
                    Prompt.chat(messages(p)), sampling.apply(i), steering, Introspection.none(),
                    Priority.INTERACTIVE);
            CompletableFuture<String> text = runtime.generate(request)
                    .select().where(e -> e instanceof GenerationEvent.Token)
                    .map(e -> ((GenerationEvent.Token) e).text())
                    .collect().with(Collectors.joining())
                    .ifNoItem().after(TIMEOUT).fail()
                    .subscribeAsCompletionStage()
                    .toCompletableFuture();
            text.whenComplete((t, e) -> slots.release());
            futures.add(text);
        }
        List<String> out = new ArrayList<>(prompts.size());
        for (CompletableFuture<String> f : futures) {
            try {
                String t = f.join();
                if (t != null) {
                    generations.incrementAndGet();
                }
                out.add(t);
            } catch (RuntimeException e) {
                throw new IllegalStateException("generation failed: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
