package io.steerguard.runtime.embedded;

import ai.djl.Device;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SteeringSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InferenceEngineTest {

    static final int CONTEXT = 128;

    @TempDir
    static Path tmp;
    static Path dir;
    InferenceEngine engine;

    @BeforeAll
    static void model() {
        dir = TinyModels.llama(tmp.resolve("llama"));
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    InferenceEngine engine(int maxBatch, int queueCapacity) {
        engine = new InferenceEngine("test", Transformer.load(dir, Device.cpu(), maxBatch, CONTEXT), maxBatch, CONTEXT,
                queueCapacity, 512);
        return engine;
    }

    static SequenceRequest request(int[] prompt, int maxTokens, Priority priority) {
        return new SequenceRequest("r", () -> prompt, maxTokens, Set.of(), TokenChooser.greedy(), SteeringSpec.none(),
                Introspection.none(), priority);
    }

    static int[] prompt(int len, long seed) {
        return TransformerDifferentialTest.randomTokens(len, 97, seed);
    }

    @Test
    void submitAndCancel_neverWaitForAPromptBeingEncoded() throws Exception {
        InferenceEngine e = engine(2, 16);
        java.util.concurrent.CountDownLatch encoding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        int[] slowPrompt = prompt(4, 11);
        SequenceRequest slow = new SequenceRequest("slow", () -> {
            encoding.countDown();
            try {
                release.await(); // a 1 MiB chat going through the template and the tokenizer
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return slowPrompt;
        }, 2, Set.of(), TokenChooser.greedy(), SteeringSpec.none(), Introspection.none(), Priority.INTERACTIVE);
        RecordingListener slowListener = new RecordingListener();
        e.submit(slow, slowListener);
        assertThat(encoding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        try {
            // what the event loop does for other requests meanwhile: it must not wait for the encoding
            java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
                InferenceEngine.Sequence seq = e.submit(request(prompt(3, 12), 2, Priority.INTERACTIVE),
                        new RecordingListener());
                e.cancel(seq);
                e.waitingCount();
            });
            other.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        assertThat(slowListener.await()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void batchedGeneration_equalsOneByOneGeneration_greedy() {
        int[][] prompts = {prompt(5, 1), prompt(13, 2), prompt(1, 3), prompt(30, 4), prompt(8, 5), prompt(2, 6)};
        int[] maxTokens = {20, 7, 25, 12, 3, 18};
        List<List<Integer>> alone = new ArrayList<>();
        InferenceEngine single = engine(1, 16);
        for (int i = 0; i < prompts.length; i++) {
            RecordingListener l = new RecordingListener();
            single.submit(request(prompts[i], maxTokens[i], Priority.INTERACTIVE), l);
            assertThat(l.await()).isEqualTo(FinishReason.LENGTH);
            alone.add(l.tokens);
        }
        single.close();

        // four slots for six requests: sequences leave (max tokens 3, 7, ...) and waiting ones join mid-batch
        InferenceEngine batched = engine(4, 16);
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            RecordingListener l = new RecordingListener();
            listeners.add(l);
            batched.submit(request(prompts[i], maxTokens[i], Priority.INTERACTIVE), l);
        }
        for (int i = 0; i < prompts.length; i++) {
            listeners.get(i).await();
            assertThat(listeners.get(i).tokens).as("request %d", i).isEqualTo(alone.get(i));
            assertThat(listeners.get(i).usage.completionTokens()).isEqualTo(maxTokens[i]);
            assertThat(listeners.get(i).usage.promptTokens()).isEqualTo(prompts[i].length);
        }
    }

    @Test
    void fullQueue_rejectsWithOverloaded() {
        InferenceEngine e = engine(1, 1);
        GatedListener running = new GatedListener();
        e.submit(request(prompt(4, 1), 100, Priority.INTERACTIVE), running);
        running.awaitFirstToken();
        try {
            e.submit(request(prompt(4, 2), 5, Priority.INTERACTIVE), new RecordingListener());
            assertThatThrownBy(() -> e.submit(request(prompt(4, 3), 5, Priority.INTERACTIVE), new RecordingListener()))
                    .isInstanceOfSatisfying(RuntimeFault.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.OVERLOADED));
        } finally {
            running.release();
        }
    }

    @Test
    void tooLongPrompt_failsWithInvalidRequestNamingTheContext() {
        RecordingListener l = new RecordingListener();
        engine(1, 1).submit(request(prompt(CONTEXT + 1, 1), 5, Priority.INTERACTIVE), l);
        assertThatThrownBy(l.finished::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RuntimeFault.class, f -> {
                    assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST);
                    assertThat(f.getMessage()).contains("129 tokens").contains("context of 128");
                });
    }

    @Test
    void steeringTheModelCannotHonour_isRejectedBeforeQueueing() {
        InferenceEngine e = engine(1, 1);
        SequenceRequest wrongWidth = new SequenceRequest("r", () -> prompt(3, 1), 5, Set.of(), TokenChooser.greedy(),
                SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, new float[7]), 1.0)), Introspection.none(), Priority.INTERACTIVE);
        assertThatThrownBy(() -> e.submit(wrongWidth, new RecordingListener()))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST))
                .hasMessageContaining("hidden size is 48");
        SequenceRequest badLayer = new SequenceRequest("r", () -> prompt(3, 1), 5, Set.of(), TokenChooser.greedy(),
                SteeringSpec.none(), new Introspection(List.of(3), false), Priority.INTERACTIVE);
        assertThatThrownBy(() -> e.submit(badLayer, new RecordingListener())).hasMessageContaining("capture layer 3");
    }

    @Test
    void cancellation_freesTheSlotForTheNextRequestAtOnce() {
        InferenceEngine e = engine(1, 4);
        GatedListener longRunning = new GatedListener();
        InferenceEngine.Sequence seq = e.submit(request(prompt(4, 1), 120, Priority.INTERACTIVE), longRunning);
        RecordingListener waiting = new RecordingListener();
        e.submit(request(prompt(4, 2), 3, Priority.INTERACTIVE), waiting);
        longRunning.awaitFirstToken();
        e.cancel(seq);
        longRunning.release();
        assertThat(waiting.await()).isEqualTo(FinishReason.LENGTH);
        int afterCancel = longRunning.tokens.size();
        assertThat(afterCancel).isLessThan(120);
        assertThat(longRunning.finished).isNotDone();
        await().until(() -> e.runningCount() == 0);
        assertThat(longRunning.tokens).hasSize(afterCancel);
    }

    @Test
    void backgroundWork_waitsWhileInteractiveRequestsQueue() {
        InferenceEngine e = engine(1, 8);
        GatedListener first = new GatedListener();
        e.submit(request(prompt(4, 1), 30, Priority.INTERACTIVE), first);
        first.awaitFirstToken();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingListener bg = new RecordingListener() {
            @Override
            public boolean onToken(int tokenId, double logprob, boolean eos) {
                order.add("background");
                return super.onToken(tokenId, logprob, eos);
            }
        };
        RecordingListener interactive = new RecordingListener() {
            @Override
            public boolean onToken(int tokenId, double logprob, boolean eos) {
                order.add("interactive");
                return super.onToken(tokenId, logprob, eos);
            }
        };
        e.submit(request(prompt(4, 2), 2, Priority.BACKGROUND), bg);
        e.submit(request(prompt(4, 3), 2, Priority.INTERACTIVE), interactive);
        first.release();
        bg.await();
        interactive.await();
        assertThat(order).containsExactly("interactive", "interactive", "background", "background");
    }

    @Test
    void eosToken_andStopFromListener_endWithStop_andContextEndsWithLength() {
        InferenceEngine e = engine(2, 4);
        RecordingListener probe = new RecordingListener();
        e.submit(request(prompt(6, 9), 5, Priority.INTERACTIVE), probe);
        probe.await();
        int third = probe.tokens.get(2);

        RecordingListener eos = new RecordingListener();
        e.submit(new SequenceRequest("r", () -> prompt(6, 9), 50, Set.of(third), TokenChooser.greedy(),
                SteeringSpec.none(), Introspection.none(), Priority.INTERACTIVE), eos);
        assertThat(eos.await()).isEqualTo(FinishReason.STOP);
        assertThat(eos.tokens).endsWith(third).hasSizeLessThanOrEqualTo(3);

        RecordingListener stop = new RecordingListener();
        stop.stopAfter = 4;
        e.submit(request(prompt(6, 9), 50, Priority.INTERACTIVE), stop);
        assertThat(stop.await()).isEqualTo(FinishReason.STOP);
        assertThat(stop.tokens).hasSize(4);

        RecordingListener full = new RecordingListener();
        e.submit(request(prompt(CONTEXT - 3, 9), 50, Priority.INTERACTIVE), full);
        assertThat(full.await()).isEqualTo(FinishReason.LENGTH);
        assertThat(full.tokens).hasSize(4);
        assertThat(full.usage.totalTokens()).isEqualTo(CONTEXT + 1);
    }

    @Test
    void introspection_isReportedBeforeTheFirstToken_onTheInferenceThread() {
        InferenceEngine e = engine(1, 1);
        RecordingListener l = new RecordingListener();
        e.submit(new SequenceRequest("r", () -> prompt(9, 4), 3, Set.of(), TokenChooser.greedy(), SteeringSpec.none(),
                new Introspection(List.of(0, 2), true), Priority.INTERACTIVE), l);
        l.await();
        assertThat(l.events).containsExactly("captured", "token", "token", "token", "finished");
        assertThat(l.residuals).containsOnlyKeys(0, 2);
        assertThat(l.residuals.get(2)).hasSize(48);
        double total = 0;
        int argmax = 0;
        for (int i = 0; i < l.firstTokenLogProbs.length; i++) {
            total += Math.exp(l.firstTokenLogProbs[i]);
            argmax = l.firstTokenLogProbs[i] > l.firstTokenLogProbs[argmax] ? i : argmax;
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        assertThat(argmax).isEqualTo(l.tokens.get(0));
        assertThat(l.threadName).isEqualTo("steerguard-inference-test");
        assertThat(Arrays.asList(Thread.currentThread().getName())).doesNotContain(l.threadName);
    }

    @Test
    void failingListener_endsOnlyItsOwnSequence() {
        InferenceEngine e = engine(2, 4);
        RecordingListener healthy = new RecordingListener();
        RecordingListener broken = new RecordingListener() {
            @Override
            public boolean onToken(int tokenId, double logprob, boolean eos) {
                super.onToken(tokenId, logprob, eos);
                if (tokens.size() == 2) {
                    throw new IllegalStateException("subscriber blew up");
                }
                return true;
            }
        };
        e.submit(request(prompt(5, 1), 10, Priority.INTERACTIVE), healthy);
        e.submit(request(prompt(5, 2), 10, Priority.INTERACTIVE), broken);
        assertThat(healthy.await()).isEqualTo(FinishReason.LENGTH);
        assertThat(healthy.tokens).hasSize(10);
        assertThatThrownBy(broken.finished::join).hasRootCauseMessage("subscriber blew up");
        assertThat(broken.tokens).hasSize(2);
    }

    /**
     * Holds the inference thread inside the first token's callback until released, so a test can
     * queue work behind (or cancel) a running sequence without racing a generation that might
     * finish first.
     */
    private static final class GatedListener extends RecordingListener {
        private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public boolean onToken(int tokenId, double logprob, boolean eos) {
            started.countDown();
            try {
                gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.onToken(tokenId, logprob, eos);
        }

        void awaitFirstToken() {
            try {
                assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("first token").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void release() {
            gate.countDown();
        }
    }
}
