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
    /** Holds back text that may be a tool call, or null when calls are not parsed. */
    private final ToolCallStream tools;
    private boolean stopped;

    TextEvents(MultiEmitter<? super GenerationEvent> emitter, StreamingDetokenizer detokenizer, StopMatcher stops) {
        this(emitter, detokenizer, stops, 0, null, null);
    }

    TextEvents(MultiEmitter<? super GenerationEvent> emitter, StreamingDetokenizer detokenizer, StopMatcher stops,
               int choice, ChoiceMerger merger, ToolCallStream tools) {
        this.emitter = emitter;
        this.detokenizer = detokenizer;
        this.stops = stops;
        this.choice = choice;
        this.merger = merger;
        this.tools = tools;
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
        String text = tools == null ? r.emit() : tools.push(r.emit());
        emitter.emit(new GenerationEvent.Token(text, tokenId, logprob, choice));
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
            if (tools != null) {
                rest = tools.push(rest);
            }
            if (!rest.isEmpty()) {
                emitter.emit(new GenerationEvent.Token(rest, -1, Double.NaN, choice));
            }
        }
        if (tools != null && finishTools()) {
            finalReason = FinishReason.TOOL_CALLS;
        }
        if (merger != null) {
            merger.finished(choice, finalReason, usage);
            return;
        }
        emitter.emit(new GenerationEvent.Finished(finalReason, usage));
        emitter.complete();
    }

    /** Releases held text as content or as calls; whether there were calls. */
    private boolean finishTools() {
        ToolCallParser.Parsed parsed = tools.finish();
        if (parsed instanceof ToolCallParser.Content c) {
            if (!c.text().isEmpty()) {
                emitter.emit(new GenerationEvent.Token(c.text(), -1, Double.NaN, choice));
            }
            return false;
        }
        ToolCallParser.Calls calls = (ToolCallParser.Calls) parsed;
        if (!calls.content().isEmpty()) {
            emitter.emit(new GenerationEvent.Token(calls.content(), -1, Double.NaN, choice));
        }
        for (int i = 0; i < calls.calls().size(); i++) {
            ToolCallParser.Call call = calls.calls().get(i);
            emitter.emit(new GenerationEvent.ToolCallDelta(choice, i, ToolCallIds.next(), call.name(), call.arguments()));
        }
        return true;
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
