package io.steerguard.runtime.embedded;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;

import java.util.Map;

/**
 * Receives one sequence's progress from the {@link InferenceEngine}, on the inference thread:
 * optionally {@link #onCaptured}, then {@link #onToken} per generated token, then exactly one of
 * {@link #onFinished} or {@link #onFailed}. Implementations must return quickly.
 */
interface SequenceListener {

    /** Introspection at the last prompt token; {@code firstTokenLogProbs} is null when not asked. */
    void onCaptured(Map<Integer, float[]> residuals, float[] firstTokenLogProbs);

    /**
     * A generated token (end-of-sequence tokens included).
     *
     * @return false to end the sequence here with {@link FinishReason#STOP} (a stop string matched)
     */
    boolean onToken(int tokenId, double logprob, boolean endOfSequence);

    void onFinished(FinishReason reason, Usage usage);

    void onFailed(RuntimeFault fault);
}
