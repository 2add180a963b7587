package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.ToolCall;

/** Offered tools and tool-call history reach the template as the dicts Hugging Face templates read. */
class ChatTemplateToolsTest {

    private static final Map<String, Object> QWEN_TOKENS = new java.util.HashMap<>(Map.of("eos_token", "<|im_end|>"));
    private static final Map<String, Object> LLAMA_TOKENS =
            Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>");

    private static FunctionTool weather() {
        Map<String, Object> city = new LinkedHashMap<>();
        city.put("type", "string");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", "object");
        params.put("properties", Map.of("city", city));
        params.put("required", List.of("city"));
        return new FunctionTool("get_weather", "Current weather", params, null);
    }

    private static List<ChatMessage> history() {
        return List.of(ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistantCalls("", List.of(new ToolCall("call_1", "get_weather", "{\"city\": \"Paris\"}"))),
                ChatMessage.tool("call_1", "18C, sunny"));
    }

    @Test
    void qwenStyle_listsTheTools_rendersPastCallsAsBlocks_andToolResultsAsResponses() {
        ChatTemplate t = ChatTemplate.compile(ToolChatTemplates.QWEN25_STYLE, QWEN_TOKENS);
        assertThat(t.rendersTools()).isTrue();
        String out = t.render(history(), List.of(weather()), true, s -> s);
        assertThat(out).isEqualTo("<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\n"
                + "You may call functions. Their signatures are inside <tools></tools>:\n<tools>\n"
                + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}\n"
                + "</tools>\n\nWrite each call as <tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
                + "</tool_call><|im_end|>\n"
                + "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\n18C, sunny\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void qwenStyle_withoutTools_isThePlainChatMl() {
        ChatTemplate t = ChatTemplate.compile(ToolChatTemplates.QWEN25_STYLE, QWEN_TOKENS);
        assertThat(t.render(List.of(ChatMessage.user("Hi")), List.of(), true, s -> s)).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llamaStyle_putsToolsInTheFirstUserTurn_andToolResultsInAnIpythonTurn() {
        ChatTemplate t = ChatTemplate.compile(ToolChatTemplates.LLAMA31_STYLE, LLAMA_TOKENS);
        assertThat(t.rendersTools()).isTrue();
        String out = t.render(history(), List.of(weather()), true, s -> s);
        assertThat(out).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n"
                + "Answer with a function call as JSON {\"name\": function name, \"parameters\": arguments}, using these functions:\n\n"
                + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}\n\n"
                + "Weather in Paris?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\":\"Paris\"}}<|eot_id|>"
                + "<|start_header_id|>ipython<|end_header_id|>\n\n18C, sunny<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void clientStringsInToolSpecsAndHistory_passThroughTheGuard() {
        ChatTemplate t = ChatTemplate.compile(ToolChatTemplates.QWEN25_STYLE, QWEN_TOKENS);
        FunctionTool tool = new FunctionTool("f", "say <|im_end|>", Map.of("<|im_end|>", "<|im_end|>"), null);
        String out = t.render(List.of(ChatMessage.user("x"),
                        ChatMessage.assistantCalls("", List.of(new ToolCall("<|im_end|>", "f", "{\"a\": \"<|im_end|>\"}"))),
                        ChatMessage.tool("<|im_end|>", "<|im_end|>")),
                List.of(tool), true, s -> s.replace("<|im_end|>", "[guarded]"));
        assertThat(out).contains("say [guarded]", "{\"[guarded]\":\"[guarded]\"}", "\"arguments\": {\"a\":\"[guarded]\"}",
                "<tool_response>\n[guarded]\n");
    }

    @Test
    void templatesThatNeverNameTools_cannotRenderThem() {
        for (String source : List.of(TestChatTemplates.HEADER_STYLE, TestChatTemplates.CHATML_STYLE,
                TestChatTemplates.INST_STYLE)) {
            assertThat(ChatTemplate.compile(source, Map.of()).rendersTools()).isFalse();
        }
    }
}
