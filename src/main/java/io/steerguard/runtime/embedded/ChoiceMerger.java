package io.steerguard.runtime.embedded;

import io.smallrye.mutiny.subscription.MultiEmitter;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;

/**
 * Ends a generation of {@code n > 1} choices, each a sequence of its own in the engine's batch:
 * every choice's end becomes a {@link GenerationEvent.ChoiceFinished}; when the last one ends, one
 * {@link GenerationEvent.Finished} carries choice 0's reason and the usage of all of them (the prompt
 * once, the completion tokens summed, as OpenAI counts). The first failure fails the whole
 * generation, and the caller's termination hook cancels the other sequences.
 *
 * <p>Called only on the inference thread, so it needs no locking.
 */
final class ChoiceMerger {

    private final MultiEmitter<? super GenerationEvent> emitter;
    private final int n;
    private int finished;
    private int promptTokens;
    private int completionTokens;
    private FinishReason first = FinishReason.STOP;
    private boolean failed;

    ChoiceMerger(MultiEmitter<? super GenerationEvent> emitter, int n) {
        this.emitter = emitter;
        this.n = n;
    }

    void finished(int choice, FinishReason reason, Usage usage) {
        if (failed) {
            return;
        }
        emitter.emit(new GenerationEvent.ChoiceFinished(choice, reason));
        if (choice == 0) {
            first = reason;
        }
        promptTokens = Math.max(promptTokens, usage.promptTokens());
        completionTokens += usage.completionTokens();
        if (++finished == n) {
            emitter.emit(new GenerationEvent.Finished(first, new Usage(promptTokens, completionTokens)));
            emitter.complete();
        }
    }

    void failed(RuntimeFault fault) {
        if (!failed) {
            failed = true;
            emitter.fail(fault);
        }
    }
}
