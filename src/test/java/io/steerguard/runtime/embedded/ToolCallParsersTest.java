package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.embedded.ToolCallParser.Call;
import io.steerguard.runtime.embedded.ToolCallParser.Calls;
import io.steerguard.runtime.embedded.ToolCallParser.Content;

/** The hermes and llama3-json parsers, alone and behind the streaming hold-back. */
class ToolCallParsersTest {

    private static final HermesToolCalls HERMES = new HermesToolCalls();
    private static final Llama3JsonToolCalls LLAMA = new Llama3JsonToolCalls();
    private static final java.util.Set<String> OFFERED = java.util.Set.of("a", "b", "get_weather");

    @Test
    void hermes_oneBlock_isOneCall_withCompactArguments() {
        assertThat(HERMES.parse("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"))
                .isEqualTo(new Calls("", List.of(new Call("get_weather", "{\"city\":\"Paris\"}"))));
    }

    @Test
    void hermes_severalBlocks_withContentBefore_areCallsInOrder_andTheContentKept() {
        String text = "Let me check both.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"b\", \"arguments\": {\"y\": [true, null]}}\n</tool_call>";
        assertThat(HERMES.parse(text)).isEqualTo(new Calls("Let me check both.\n", List.of(
                new Call("a", "{\"x\":1}"), new Call("b", "{\"y\":[true,null]}"))));
    }

    @Test
    void hermes_lastBlockWithoutClosingTag_stillParses() {
        assertThat(HERMES.parse("<tool_call>{\"name\": \"a\", \"arguments\": {}}"))
                .isEqualTo(new Calls("", List.of(new Call("a", "{}"))));
    }

    @Test
    void hermes_argumentsWrittenAsAJsonString_areUnwrapped() {
        assertThat(HERMES.parse("<tool_call>{\"name\": \"a\", \"arguments\": \"{\\\"k\\\": 2}\"}</tool_call>"))
                .isEqualTo(new Calls("", List.of(new Call("a", "{\"k\":2}"))));
    }

    @Test
    void hermes_malformedJson_orNoName_orTextBetweenBlocks_isPlainContent() {
        for (String text : List.of(
                "<tool_call>{\"name\": \"a\", \"arguments\": {</tool_call>",
                "<tool_call>{\"arguments\": {}}</tool_call>",
                "<tool_call>[1, 2]</tool_call>",
                "<tool_call>{\"name\": \"a\", \"arguments\": 3}</tool_call>",
                "<tool_call>{\"name\": \"a\"} trailing</tool_call>",
                "<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call> and then some words")) {
            assertThat(HERMES.parse(text)).as(text).isEqualTo(new Content(text));
        }
    }

    @Test
    void hermes_textWithoutTag_isContent() {
        assertThat(HERMES.parse("{\"name\": \"a\", \"arguments\": {}}"))
                .isEqualTo(new Content("{\"name\": \"a\", \"arguments\": {}}"));
    }

    @Test
    void llama3_wholeAnswerObject_withParameters_orTypeFunction_orPythonTag_isACall() {
        Calls expected = new Calls("", List.of(new Call("get_weather", "{\"city\":\"Paris\"}")));
        assertThat(LLAMA.parse("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}")).isEqualTo(expected);
        assertThat(LLAMA.parse("\n{\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}\n"))
                .isEqualTo(expected);
        assertThat(LLAMA.parse("<|python_tag|>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}"))
                .isEqualTo(expected);
    }

    @Test
    void llama3_proseAroundTheObject_orMalformed_orOtherType_isContent() {
        for (String text : List.of(
                "Sure: {\"name\": \"a\", \"parameters\": {}}",
                "{\"name\": \"a\", \"parameters\": {}} done",
                "{\"name\": \"a\", \"parameters\": {\"x\": }",
                "{\"type\": \"code\", \"name\": \"a\", \"parameters\": {}}",
                "{\"name\": \"Bob\", \"age\": 3}",
                "{\"parameters\": {}}")) {
            assertThat(LLAMA.parse(text)).as(text).isEqualTo(new Content(text));
        }
    }

    private static String streamed(ToolCallStream stream, String... deltas) {
        StringBuilder out = new StringBuilder();
        for (String d : deltas) {
            out.append(stream.push(d));
        }
        return out.toString();
    }

    @Test
    void stream_hermes_releasesContentBeforeTheTag_andHoldsTheCallWhateverTheSplit() {
        ToolCallStream s = new ToolCallStream(new HermesToolCalls(), OFFERED);
        assertThat(s.push("Checking <tool")).isEqualTo("Checking ");
        assertThat(s.push("_call>{\"name\": \"a\", ")).isEmpty();
        assertThat(s.push("\"arguments\": {}}</tool_call>")).isEmpty();
        assertThat(s.finish()).isEqualTo(new Calls("", List.of(new Call("a", "{}"))));
    }

    @Test
    void stream_hermes_aHeldPrefixThatIsNotTheTag_isReleased() {
        ToolCallStream s = new ToolCallStream(new HermesToolCalls(), OFFERED);
        assertThat(streamed(s, "a <to", "y> b")).isEqualTo("a <toy> b");
        assertThat(s.finish()).isEqualTo(new Content(""));
    }

    @Test
    void stream_hermes_malformedCall_comesBackWhole_asContent() {
        ToolCallStream s = new ToolCallStream(new HermesToolCalls(), OFFERED);
        String released = streamed(s, "x ", "<tool_call>{oops", "</tool_call>");
        assertThat(released).isEqualTo("x ");
        assertThat(s.finish()).isEqualTo(new Content("<tool_call>{oops</tool_call>"));
    }

    @Test
    void stream_llama3_holdsAnAnswerStartingWithABrace_butReleasesProse_andABraceLater() {
        ToolCallStream call = new ToolCallStream(new Llama3JsonToolCalls(), OFFERED);
        assertThat(streamed(call, "  ", "{\"name\": \"a\",", " \"parameters\": {}}")).isEmpty();
        assertThat(call.finish()).isEqualTo(new Calls("", List.of(new Call("a", "{}"))));

        ToolCallStream prose = new ToolCallStream(new Llama3JsonToolCalls(), OFFERED);
        assertThat(streamed(prose, "Hi", " {\"name\": \"a\", \"parameters\": {}}")).isEqualTo("Hi {\"name\": \"a\", \"parameters\": {}}");
        assertThat(prose.finish()).isEqualTo(new Content(""));
    }

    @Test
    void stream_aParsedCallNamingAFunctionNotOffered_isContent() {
        ToolCallStream s = new ToolCallStream(new Llama3JsonToolCalls(), OFFERED);
        String text = "{\"name\": \"delete_everything\", \"parameters\": {}}";
        assertThat(s.push(text)).isEmpty();
        assertThat(s.finish()).isEqualTo(new Content(text));

        ToolCallStream h = new ToolCallStream(new HermesToolCalls(), OFFERED);
        String blocks = "<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call><tool_call>{\"name\": \"zzz\"}</tool_call>";
        assertThat(h.push(blocks)).isEmpty();
        assertThat(h.finish()).isEqualTo(new Content(blocks));
    }

    @Test
    void hermes_aBlockWithoutArguments_isACallWithNone() {
        assertThat(HERMES.parse("<tool_call>{\"name\": \"a\"}</tool_call>"))
                .isEqualTo(new Calls("", List.of(new Call("a", "{}"))));
    }

    @Test
    void stream_llama3_partialPythonTag_isHeld_untilItIsKnown() {
        ToolCallStream s = new ToolCallStream(new Llama3JsonToolCalls(), OFFERED);
        assertThat(s.push("<|py")).isEmpty();
        assertThat(s.push("x")).isEqualTo("<|pyx");
    }
}
