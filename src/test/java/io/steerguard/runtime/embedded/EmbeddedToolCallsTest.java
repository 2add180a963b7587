package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.ToolChoice;
import io.steerguard.runtime.Tools;

/**
 * Tool calls parsed from real generations of a tiny random model with a Qwen2.5-style template and
 * the hermes parser. The random model never writes a call by itself, so its vocabulary gets two
 * extra tokens ({@link ToolCallModels}), each spelling a whole {@code <tool_call>} block, one
 * well-formed and one not, and {@code logit_bias} with greedy decoding makes it emit the one a test wants.
 */
class EmbeddedToolCallsTest {

    static final String CALL = ToolCallModels.HERMES_CALL;
    static final String BROKEN = ToolCallModels.HERMES_BROKEN;

    @TempDir
    static Path tmp;
    static EmbeddedRuntime hermes;
    static EmbeddedRuntime noParser;
    static EmbeddedRuntime noToolTemplate;
    static int callToken;
    static int brokenToken;

    @BeforeAll
    static void load() {
        Path dir = tmp.resolve("qwen-tools");
        callToken = ToolCallModels.qwen(dir, CALL, BROKEN).firstExtraToken();
        brokenToken = callToken + 1;
        EmbeddedRuntimeOptions options = EmbeddedRuntimeOptions.defaults("tiny-tools", dir)
                .withDevice("cpu").withMaxBatch(4).withMaxContext(1024).withQueueCapacity(8);
        hermes = EmbeddedRuntime.load(options.withToolCallParser(ToolCallFormat.HERMES));
        noParser = EmbeddedRuntime.load(options);

        Path plain = tmp.resolve("plain-chatml");
        int plainVocab = TestTokenizers.writeChatMl(plain);
        TinyModels.write(plain, TinyModels.Spec.of(ModelConfig.Family.QWEN2, TensorType.F32).withVocab(plainVocab));
        noToolTemplate = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("plain", plain).withDevice("cpu")
                .withMaxBatch(2).withMaxContext(256).withToolCallParser(ToolCallFormat.HERMES));
    }

    @AfterAll
    static void close() {
        hermes.close();
        noParser.close();
        noToolTemplate.close();
    }

    private static FunctionTool weather() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", "object");
        params.put("properties", Map.of("city", Map.of("type", "string")));
        return new FunctionTool("get_weather", "Current weather in a city", params, null);
    }

    private static SamplingParams forcing(int token, int maxTokens, int n) {
        return new SamplingParams(maxTokens, 0, 1, 0, null, List.of(), false, n, 0, 0, Map.of(token, 100.0));
    }

    private static List<GenerationEvent> run(EmbeddedRuntime runtime, SamplingParams sampling, Tools tools) {
        return runtime.generate(GenerationRequest.of("tools", Prompt.chat(List.of(ChatMessage.user("Weather in Paris?"))),
                        sampling, SteeringSpec.none()).withTools(tools))
                .collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    private static String text(List<GenerationEvent> events) {
        return events.stream().filter(e -> e instanceof GenerationEvent.Token).map(e -> ((GenerationEvent.Token) e).text())
                .collect(Collectors.joining());
    }

    private static List<GenerationEvent.ToolCallDelta> calls(List<GenerationEvent> events) {
        return events.stream().filter(e -> e instanceof GenerationEvent.ToolCallDelta)
                .map(e -> (GenerationEvent.ToolCallDelta) e).toList();
    }

    private static FinishReason reason(List<GenerationEvent> events) {
        return ((GenerationEvent.Finished) events.get(events.size() - 1)).reason();
    }

    private static Tools auto() {
        return new Tools(List.of(weather()), null, null);
    }

    @Test
    void aGeneratedCallBlock_becomesAToolCall_withAnId_andNoContent() {
        List<GenerationEvent> events = run(hermes, forcing(callToken, 1, 1), auto());

        assertThat(text(events)).isEmpty();
        assertThat(calls(events)).singleElement().satisfies(c -> {
            assertThat(c.choice()).isZero();
            assertThat(c.index()).isZero();
            assertThat(c.id()).matches("call_[A-Za-z0-9]{24}");
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
        assertThat(reason(events)).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void twoGeneratedBlocks_areTwoCalls_withDistinctIds() {
        List<GenerationEvent.ToolCallDelta> calls = calls(run(hermes, forcing(callToken, 2, 1), auto()));

        assertThat(calls).extracting(GenerationEvent.ToolCallDelta::index).containsExactly(0, 1);
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
    }

    @Test
    void aMalformedBlock_isSentAsContent_unchanged() {
        List<GenerationEvent> events = run(hermes, forcing(brokenToken, 1, 1), auto());

        assertThat(calls(events)).isEmpty();
        assertThat(text(events)).isEqualTo(BROKEN);
        assertThat(reason(events)).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void withoutTools_orWithToolChoiceNone_theSameTextIsContent() {
        for (Tools tools : List.of(Tools.none(), new Tools(List.of(weather()), new ToolChoice.None(), null))) {
            List<GenerationEvent> events = run(hermes, forcing(callToken, 1, 1), tools);
            assertThat(calls(events)).isEmpty();
            assertThat(text(events)).isEqualTo(CALL);
        }
    }

    @Test
    void theOfferedTools_reachThePrompt_onlyWhenCallsArePossible() {
        int plain = run(hermes, SamplingParams.greedy(1), Tools.none()).stream()
                .filter(e -> e instanceof GenerationEvent.Finished).map(e -> ((GenerationEvent.Finished) e).usage().promptTokens())
                .findFirst().orElseThrow();
        int withTools = run(hermes, SamplingParams.greedy(1), auto()).stream()
                .filter(e -> e instanceof GenerationEvent.Finished).map(e -> ((GenerationEvent.Finished) e).usage().promptTokens())
                .findFirst().orElseThrow();
        assertThat(withTools).isEqualTo(hermes.tokenizer().encodeChat(
                List.of(ChatMessage.user("Weather in Paris?")), List.of(weather())).length).isGreaterThan(plain + 20);
    }

    @Test
    void severalChoices_eachParseTheirOwnCalls() {
        List<GenerationEvent> events = run(hermes, forcing(callToken, 1, 2), auto());

        assertThat(calls(events)).extracting(GenerationEvent.ToolCallDelta::choice).containsExactlyInAnyOrder(0, 1);
        assertThat(events.stream().filter(e -> e instanceof GenerationEvent.ChoiceFinished)
                .map(e -> ((GenerationEvent.ChoiceFinished) e).reason())).containsOnly(FinishReason.TOOL_CALLS);
    }

    @Test
    void capabilities_sayToolsOnlyWithATemplateThatRendersThem_andAParser() {
        assertThat(hermes.capabilities().tools()).isTrue();
        assertThat(noParser.capabilities().tools()).isFalse();
        assertThat(noToolTemplate.capabilities().tools()).isFalse();
    }

    private static void assertRefused(EmbeddedRuntime runtime, Tools tools, String... phrases) {
        assertThatThrownBy(() -> run(runtime, SamplingParams.greedy(2), tools))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> {
                    assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.UNSUPPORTED);
                    assertThat(f.getMessage()).contains("runtime '" + runtime.name() + "'").contains(phrases);
                });
    }

    @Test
    void withoutAParser_orWithATemplateBlindToTools_toolsAreRefused_namingWhatIsMissing() {
        assertRefused(noParser, auto(), "has no toolCallParser set");
        assertRefused(noToolTemplate, auto(), "chat template that does not render 'tools'");
    }

    @Test
    void toolChoiceNone_isServedEvenWithoutAParser() {
        List<GenerationEvent> events = run(noParser, SamplingParams.greedy(2),
                new Tools(List.of(weather()), new ToolChoice.None(), null));
        assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.Finished.class);
    }

    @Test
    void aNamedToolChoice_isRefused_becauseDecodingIsNotConstrained() {
        assertRefused(hermes, new Tools(List.of(weather()), new ToolChoice.Function("get_weather"), null),
                "cannot force a call to 'get_weather'");
    }

    @Test
    void toolChoiceRequired_isServedBestEffort_parsingLikeAuto() {
        List<GenerationEvent> events = run(hermes, forcing(callToken, 1, 1),
                new Tools(List.of(weather()), new ToolChoice.Required(), null));
        assertThat(calls(events)).hasSize(1);
    }
}
