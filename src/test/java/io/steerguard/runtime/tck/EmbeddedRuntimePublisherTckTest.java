package io.steerguard.runtime.tck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeTck;

/**
 * {@code EmbeddedRuntime.generate} against every publisher rule of the Reactive Streams TCK: demand,
 * cancellation, completion and errors as the specification states them, on a tiny model. A
 * generation of {@code max_tokens = n − 1} emits n events (a token each, then one Finished), so the
 * TCK's element counts map onto real generations; the prompt is one whose greedy continuation never
 * ends early within {@link #MAX_ELEMENTS}.
 */
class EmbeddedRuntimePublisherTckTest {

    static final int MAX_ELEMENTS = 48;

    @TempDir
    static Path tmp;
    static EmbeddedRuntime runtime;
    static List<ChatMessage> prompt;

    @BeforeAll
    static void load() {
        runtime = EmbeddedRuntimeTck.tinyRuntime(tmp.resolve("tck-model"));
        prompt = longRunningPrompt();
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    /** The first of a few prompts whose greedy answer runs to the token limit (deterministic for the tiny model). */
    private static List<ChatMessage> longRunningPrompt() {
        for (String text : List.of("Hello world", "Tell me a story", "abc", "The quick brown fox", "xyz 123")) {
            List<ChatMessage> messages = List.of(ChatMessage.user(text));
            List<GenerationEvent> events = runtime.generate(request(messages, MAX_ELEMENTS)).collect().asList()
                    .await().atMost(Duration.ofSeconds(60));
            GenerationEvent last = events.get(events.size() - 1);
            if (last instanceof GenerationEvent.Finished f && f.reason() == FinishReason.LENGTH
                    && events.size() == MAX_ELEMENTS + 1) {
                return messages;
            }
        }
        throw new IllegalStateException("no test prompt runs to the token limit on the tiny model");
    }

    private static GenerationRequest request(List<ChatMessage> messages, int maxTokens) {
        return GenerationRequest.of("tck", Prompt.chat(messages), SamplingParams.greedy(maxTokens), SteeringSpec.none());
    }

    @TestFactory
    Stream<DynamicTest> generate_followsEveryPublisherRuleOfTheReactiveStreamsTck() {
        return TckAdapter.rules(new FlowPublisherVerification<GenerationEvent>(new TestEnvironment(2000, 200)) {
            @Override
            public Flow.Publisher<GenerationEvent> createFlowPublisher(long elements) {
                if (elements < 2) {
                    // the TCK's own way to say a rule needs what this publisher cannot emit
                    throw new org.testng.SkipException("a generation emits at least one token and its Finished event");
                }
                // n events need n − 1 tokens, then the Finished event
                return runtime.generate(request(prompt, (int) elements - 1));
            }

            @Override
            public Flow.Publisher<GenerationEvent> createFailedFlowPublisher() {
                // a prompt longer than the model's context fails the generation
                return runtime.generate(request(List.of(ChatMessage.user("x ".repeat(4_000))), 4));
            }

            @Override
            public long maxElementsFromPublisher() {
                return MAX_ELEMENTS + 1;
            }
        });
    }
}
