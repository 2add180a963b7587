package io.steerguard.runtime.embedded;

import io.smallrye.mutiny.subscription.MultiEmitter;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;

import java.util.Map;

/**
 * Turns one sequence's token ids into {@link GenerationEvent}s: streaming detokenisation (never a
 * split UTF-8 character), stop strings with hold-back, end-of-sequence tokens kept out of the text.
 */
final class TextEvents implements SequenceListener {

    private final MultiEmitter<? super GenerationEvent> emitter;
    private final StreamingDetokenizer detokenizer;
    private final StopMatcher stops;
    /** This sequence's choice index, and the merger of all choices when there are several (else null). */
    private final int choice;
    private final ChoiceMerger merger;
    private boolean stopped;

    TextEvents(MultiEmitter<? super GenerationEvent> emitter, StreamingDetokenizer detokenizer, StopMatcher stops) {
        this(emitter, detokenizer, stops, 0, null);
    }

    TextEvents(MultiEmitter<? super GenerationEvent> emitter, StreamingDetokenizer detokenizer, StopMatcher stops,
               int choice, ChoiceMerger merger) {
        this.emitter = emitter;
        this.detokenizer = detokenizer;
        this.stops = stops;
        this.choice = choice;
        this.merger = merger;
    }

    @Override
    public void onCaptured(Map<Integer, float[]> residuals, float[] firstTokenLogProbs) {
        if (choice == 0) {
            // introspection describes the prompt, the same for every choice: choice 0 reports it
            emitter.emit(new GenerationEvent.Captured(residuals, firstTokenLogProbs));
        }
    }

    @Override
    public boolean onToken(int tokenId, double logprob, boolean endOfSequence) {
        if (endOfSequence) {
            return false;
        }
        StopMatcher.Result r = stops.push(detokenizer.push(tokenId));
        emitter.emit(new GenerationEvent.Token(r.emit(), tokenId, logprob, choice));
        stopped = r.stopped();
        return !stopped;
    }

    @Override
    public void onFinished(FinishReason reason, Usage usage) {
        FinishReason finalReason = reason;
        if (!stopped) {
            // release text held back for an unfinished character or a possible stop string
            StopMatcher.Result r = stops.push(detokenizer.flush());
            String rest = r.emit() + (r.stopped() ? "" : stops.flush());
            finalReason = r.stopped() ? FinishReason.STOP : reason;
            if (!rest.isEmpty()) {
                emitter.emit(new GenerationEvent.Token(rest, -1, Double.NaN, choice));
            }
        }
        if (merger != null) {
            merger.finished(choice, finalReason, usage);
            return;
        }
        emitter.emit(new GenerationEvent.Finished(finalReason, usage));
        emitter.complete();
    }

    @Override
    public void onFailed(RuntimeFault fault) {
        if (merger != null) {
            merger.failed(fault);
            return;
        }
        emitter.fail(fault);
    }
}
