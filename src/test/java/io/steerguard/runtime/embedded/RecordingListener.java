package io.steerguard.runtime.embedded;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records what the engine reports for one sequence. */
class RecordingListener implements SequenceListener {

    final List<Integer> tokens = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<FinishReason> finished = new CompletableFuture<>();
    volatile Usage usage;
    volatile Map<Integer, float[]> residuals;
    volatile float[] firstTokenLogProbs;
    volatile String threadName;
    volatile int stopAfter = Integer.MAX_VALUE;

    @Override
    public void onCaptured(Map<Integer, float[]> residuals, float[] firstTokenLogProbs) {
        events.add("captured");
        this.residuals = residuals;
        this.firstTokenLogProbs = firstTokenLogProbs;
    }

    @Override
    public boolean onToken(int tokenId, double logprob, boolean endOfSequence) {
        threadName = Thread.currentThread().getName();
        events.add("token");
        tokens.add(tokenId);
        return tokens.size() < stopAfter;
    }

    @Override
    public void onFinished(FinishReason reason, Usage usage) {
        events.add("finished");
        this.usage = usage;
        finished.complete(reason);
    }

    @Override
    public void onFailed(RuntimeFault fault) {
        events.add("failed");
        finished.completeExceptionally(fault);
    }

    FinishReason await() {
        try {
            return finished.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("sequence did not finish: " + e, e);
        }
    }
}
