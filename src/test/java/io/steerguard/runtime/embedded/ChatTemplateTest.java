package io.steerguard.runtime.embedded;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.RuntimeFault;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.steerguard.runtime.ChatMessage.assistant;
import static io.steerguard.runtime.ChatMessage.system;
import static io.steerguard.runtime.ChatMessage.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {

    private static final Map<String, Object> LLAMA3_TOKENS =
            Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>");
    private static final Map<String, Object> INST_TOKENS = Map.of("bos_token", "<s>", "eos_token", "</s>");

    @Test
    void headerStyle_rendersBosHeadersTrimmedContent_andTheAssistantPrompt() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.HEADER_STYLE, LLAMA3_TOKENS);
        String out = t.render(List.of(system("You are terse."), user("  Hi there \n")), true);
        assertThat(out).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void headerStyle_withoutGenerationPrompt_endsAfterTheLastTurn() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.HEADER_STYLE, LLAMA3_TOKENS);
        assertThat(t.render(List.of(user("Hi")), false))
                .isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>");
    }

    @Test
    void instStyle_foldsTheSystemMessageIntoTheFirstUserTurn() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.INST_STYLE, INST_TOKENS);
        String out = t.render(List.of(system("Be brief."), user("Hi"), assistant("Hello!"), user("Bye")), true);
        assertThat(out).isEqualTo("<s>[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Bye [/INST]");
    }

    @Test
    void instStyle_withoutSystemMessage_rendersPlainTurns() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.INST_STYLE, INST_TOKENS);
        assertThat(t.render(List.of(user("Hi")), true)).isEqualTo("<s>[INST] Hi [/INST]");
    }

    @Test
    void instStyle_raisesTheTemplatesOwnMessage_whenRolesDoNotAlternate() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.INST_STYLE, INST_TOKENS);
        assertThatThrownBy(() -> t.render(List.of(user("a"), user("b")), true))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> {
                    assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST);
                    assertThat(f.getMessage()).isEqualTo(TestChatTemplates.ALTERNATION_ERROR);
                });
        assertThatThrownBy(() -> t.render(List.of(assistant("first")), true))
                .isInstanceOf(RuntimeFault.class).hasMessage(TestChatTemplates.ALTERNATION_ERROR);
    }

    @Test
    void instStyle_raisesForRolesItCannotRender() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.INST_STYLE, INST_TOKENS);
        assertThatThrownBy(() -> t.render(List.of(user("a"), new ChatMessage("tool", "42")), true))
                .isInstanceOf(RuntimeFault.class).hasMessage(TestChatTemplates.ROLE_ERROR);
    }

    @Test
    void chatMl_addsTheDefaultSystemPrompt_whenTheConversationHasNone() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.CHATML_STYLE, Map.of("eos_token", "<|im_end|>"));
        assertThat(t.render(List.of(user("Hi")), true)).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void chatMl_keepsTheCallersSystemPrompt_andOmitsThePromptWhenNotAsked() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.CHATML_STYLE, Map.of());
        assertThat(t.render(List.of(system("Act."), user("Hi"), assistant("Yo")), false)).isEqualTo(
                "<|im_start|>system\nAct.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nYo<|im_end|>\n");
    }

    @Test
    void jinjaSyntaxInsideMessageContent_isPrintedLiterally_notEvaluated() {
        ChatTemplate t = ChatTemplate.compile(TestChatTemplates.CHATML_STYLE, Map.of());
        String content = "{{ 7 * 7 }} {% for x in [1,2] %}{{ x }}{% endfor %} {{ raise_exception('no') }}";
        assertThat(t.render(List.of(system("s"), user(content)), false)).contains("\n" + content + "<|im_end|>");
    }

    @Test
    void pythonStringMethods_behaveLikePython() {
        String src = "{% for m in messages %}{{ m.content.strip() }}|{{ m.content.strip(' x') }}|"
                + "{{ m.content.lstrip() }}|{{ m.content.rstrip() }}|{{ m.content.startswith(' x') }}|"
                + "{{ m.content.endswith(('q', 'y ')) }}|{{ m.content.upper() }}|{{ m.content.split() | length }}|"
                + "{{ 'a,b,,c'.split(',') | join('-') }}|{{ 'hello world'.title() }}{% endfor %}";
        ChatTemplate t = ChatTemplate.compile(src, Map.of());
        assertThat(t.render(List.of(user(" x ab y ")), false))
                .isEqualTo("x ab y|ab y|x ab y | x ab y|true|true| X AB Y |3|a-b--c|Hello World");
    }

    @Test
    void loopControlsNamespacesAndSlices_work() {
        String src = "{% set ns = namespace(n=0) %}{% for m in messages[1:] %}{% if m.role == 'assistant' %}"
                + "{% continue %}{% endif %}{% if loop.index > 2 %}{% break %}{% endif %}{% set ns.n = ns.n + 1 %}"
                + "{{ m.content }}{% endfor %}={{ ns.n }}";
        ChatTemplate t = ChatTemplate.compile(src, Map.of());
        assertThat(t.render(List.of(system("s"), user("a"), assistant("b"), user("c"), user("d")), false))
                .isEqualTo("a=1");
    }

    @Test
    void templateThatDoesNotParse_isRejectedAtCompile() {
        assertThatThrownBy(() -> ChatTemplate.compile("{% for m in messages %}{{ m }}", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not parse");
    }

    @Test
    void dashesOnExpressionsAndComments_stripWhitespaceLikeJinja2() {
        String src = "a \n  {{- 'b' -}} \n c {#- note -#}\n d {{ '-}}' }} {% raw %}{{- x }}{% endraw %}";
        assertThat(ChatTemplate.compile(src, Map.of()).render(List.of(), false)).isEqualTo("abcd -}} {{- x }}");
    }

    @Test
    void lstripAndTrimBlocks_touchOnlyWhitespaceOnTheTagsOwnLine() {
        String src = "x {% if true %}y{% endif %} z\n  {% if true %}\n  w\n  {%+ if true %}v{% endif +%}\n{% endif %}";
        assertThat(ChatTemplate.compile(src, Map.of()).render(List.of(), false)).isEqualTo("x y z\n  w\n  v\n");
    }
}
