package io.steerguard.runtime.embedded;

/**
 * Chat templates written for the tests in the three styles the embedded runtime must render: a
 * header/eot style like Llama-3, an [INST] style with a strict role-alternation rule like Mistral,
 * and ChatML with a default system prompt like Qwen2. They are our own equivalents of the public
 * templates, using the same Jinja features (whitespace control, {@code set} in loops,
 * {@code loop.index0}, filters binding tighter than {@code +}, {@code raise_exception}, slicing,
 * {@code is defined}); the ChatML one relies on HF's {@code trim_blocks}/{@code lstrip_blocks}
 * instead of dashes.
 */
public final class TestChatTemplates {

    /** Header/eot style: BOS before the first turn, content trimmed, assistant header as prompt. */
    public static final String HEADER_STYLE = io.steerguard.training.tokenizer.TokenizerFiles.CHAT_TEMPLATE;

    /** The message the [INST] template raises when user and assistant turns do not alternate. */
    public static final String ALTERNATION_ERROR =
            "After an optional system message, turns must go user, assistant, user, ... in that order";

    /** The message the [INST] template raises for roles other than system, user and assistant. */
    public static final String ROLE_ERROR = "Only system, user and assistant roles can be rendered";

    /** [INST] style: the system message is folded into the first user turn; roles must alternate. */
    public static final String INST_STYLE = """
            {%- if messages[0]['role'] == 'system' %}
                {%- set system_message = messages[0]['content'] %}
                {%- set loop_messages = messages[1:] %}
            {%- else %}
                {%- set loop_messages = messages %}
            {%- endif %}
            {{- bos_token }}
            {%- for message in loop_messages %}
                {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
                    {{- raise_exception('@ALTERNATION@') }}
                {%- endif %}
                {%- if message['role'] == 'user' %}
                    {%- if loop.first and system_message is defined %}
                        {{- '[INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}
                    {%- else %}
                        {{- '[INST] ' + message['content'] + ' [/INST]' }}
                    {%- endif %}
                {%- elif message['role'] == 'assistant' %}
                    {{- ' ' + message['content'] + eos_token }}
                {%- else %}
                    {{- raise_exception('@ROLE@') }}
                {%- endif %}
            {%- endfor %}
            """.replace("@ALTERNATION@", ALTERNATION_ERROR).replace("@ROLE@", ROLE_ERROR);

    /** ChatML with a default system prompt, written with plain tags (trim_blocks + lstrip_blocks). */
    public static final String CHATML_STYLE = """
            {% for message in messages %}
              {% if loop.first and message['role'] != 'system' %}
            <|im_start|>system
            You are a helpful assistant.<|im_end|>
              {% endif %}
            <|im_start|>{{ message['role'] }}
            {{ message['content'] }}<|im_end|>
            {% endfor %}
            {% if add_generation_prompt %}
            <|im_start|>assistant
            {% endif %}
            """;

    /**
     * Llama-2 style: the system prompt wrapped in {@code <<SYS>>} inside the first user turn, BOS
     * before every user turn, content stripped, EOS after every assistant turn.
     */
    public static final String LLAMA2_STYLE = """
            {%- if messages[0]['role'] == 'system' %}
                {%- set system_message = messages[0]['content'] %}
                {%- set loop_messages = messages[1:] %}
            {%- else %}
                {%- set loop_messages = messages %}
            {%- endif %}
            {%- for message in loop_messages %}
                {%- if message['role'] == 'user' %}
                    {%- if loop.first and system_message is defined %}
                        {%- set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}
                    {%- else %}
                        {%- set content = message['content'] %}
                    {%- endif %}
                    {{- bos_token + '[INST] ' + content.strip() + ' [/INST]' }}
                {%- elif message['role'] == 'assistant' %}
                    {{- ' ' + message['content'].strip() + ' ' + eos_token }}
                {%- endif %}
            {%- endfor %}
            """;

    /** Zephyr style (TinyLlama-Chat): plain-text role tags, EOS closing every turn. */
    public static final String ZEPHYR_STYLE = """
            {% for message in messages %}
            {% if message['role'] == 'user' %}
            {{ '<|user|>\\n' + message['content'] + eos_token }}
            {% elif message['role'] == 'system' %}
            {{ '<|system|>\\n' + message['content'] + eos_token }}
            {% elif message['role'] == 'assistant' %}
            {{ '<|assistant|>\\n' + message['content'] + eos_token }}
            {% endif %}
            {% if loop.last and add_generation_prompt %}
            {{ '<|assistant|>' }}
            {% endif %}
            {% endfor %}
            """;

    /** SmolLM style: ChatML in one line of expressions, with its own default system prompt. */
    public static final String SMOLLM_STYLE = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\\nYou are a helpful assistant named SmolLM.<|im_end|>\\n' }}{% endif %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TestChatTemplates() {
    }
}
