package io.steerguard.shadow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.Usage;

/**
 * A model runtime test double: answers each request with {@code script.apply(request)}, records the
 * requests, the generations in flight (and the most at once) and the cancelled ones.
 */
final class ScriptedRuntime implements ModelRuntime {

    static final String COMPLIES = "Sure, here is a detailed plan, step by step.";
    static final String REFUSES = "I'm sorry, but I can't help with that request.";

    final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    private final Function<GenerationRequest, Multi<GenerationEvent>> script;

    ScriptedRuntime(Function<GenerationRequest, Multi<GenerationEvent>> script) {
        this.script = script;
    }

    /** Complies when steered, refuses when not: the eroded-refusal profile. */
    static ScriptedRuntime eroding() {
        return new ScriptedRuntime(r -> text(r.steering().isNone() ? REFUSES : COMPLIES));
    }

    static Multi<GenerationEvent> text(String text) {
        return Multi.createFrom().items(GenerationEvent.Token.text(text),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(5, 1)));
    }

    /** The user text of a request. */
    static String prompt(GenerationRequest r) {
        return r.prompt() instanceof Prompt.Chat chat ? chat.messages().get(0).content() : ((Prompt.Text) r.prompt()).text();
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public RuntimeCapabilities capabilities() {
        return RuntimeCapabilities.remoteSteerable();
    }

    @Override
    public Multi<GenerationEvent> generate(GenerationRequest request) {
        return Multi.createFrom().deferred(() -> {
            requests.add(request);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return script.apply(request);
        }).onTermination().invoke((failure, wasCancelled) -> {
            inFlight.decrementAndGet();
            if (wasCancelled) {
                cancelled.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
    }
}
