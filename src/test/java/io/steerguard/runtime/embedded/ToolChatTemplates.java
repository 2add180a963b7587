package io.steerguard.runtime.embedded;

/**
 * Chat templates that render tools, written for the tests after the two public formats the parsers
 * read: Qwen2.5's ChatML (tools listed as JSON lines in {@code <tools>} in the system turn, calls as
 * {@code <tool_call>} blocks, results as {@code <tool_response>} in a user turn) and Llama 3.1's
 * header style (tools as JSON in the first user turn, calls as a bare JSON object, results in an
 * {@code ipython} turn). Our own equivalents, not the published templates: they use the same
 * variables ({@code tools}, {@code message.tool_calls[i].function}, {@code tojson}, {@code is defined}).
 */
final class ToolChatTemplates {

    private ToolChatTemplates() {
    }

    static final String QWEN25_STYLE = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] }}{%- else %}{{- 'You are a helpful assistant.' }}{%- endif %}
                {{- '\\n\\n# Tools\\n\\nYou may call functions. Their signatures are inside <tools></tools>:\\n<tools>' }}
                {%- for tool in tools %}
                    {{- '\\n' }}{{- tool | tojson }}
                {%- endfor %}
                {{- '\\n</tools>\\n\\nWrite each call as <tool_call>\\n{"name": <function-name>, "arguments": <args-json-object>}\\n</tool_call><|im_end|>\\n' }}
            {%- elif messages[0]['role'] == 'system' %}
                {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
            {%- else %}
                {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}
            {%- endif %}
            {%- for message in messages %}
                {%- if message.role == 'user' or (message.role == 'system' and not loop.first) or (message.role == 'assistant' and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
                {%- elif message.role == 'assistant' %}
                    {{- '<|im_start|>assistant' }}
                    {%- if message.content %}{{- '\\n' + message.content }}{%- endif %}
                    {%- for tool_call in message.tool_calls %}
                        {%- set call = tool_call.function %}
                        {{- '\\n<tool_call>\\n{"name": "' + call.name + '", "arguments": ' }}{{- call.arguments | tojson }}{{- '}\\n</tool_call>' }}
                    {%- endfor %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == 'tool' %}
                    {{- '<|im_start|>user\\n<tool_response>\\n' + message.content + '\\n</tool_response><|im_end|>\\n' }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}
            """;

    static final String LLAMA31_STYLE = """
            {{- bos_token }}
            {%- if not tools is defined %}{%- set tools = none %}{%- endif %}
            {%- if messages[0]['role'] == 'system' %}
                {%- set system_message = messages[0]['content'] | trim %}
                {%- set messages = messages[1:] %}
            {%- else %}
                {%- set system_message = '' %}
            {%- endif %}
            {{- '<|start_header_id|>system<|end_header_id|>\\n\\n' + system_message + '<|eot_id|>' }}
            {%- if tools is not none %}
                {%- set first_user_message = messages[0]['content'] | trim %}
                {%- set messages = messages[1:] %}
                {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' }}
                {{- 'Answer with a function call as JSON {"name": function name, "parameters": arguments}, using these functions:\\n\\n' }}
                {%- for t in tools %}
                    {{- t | tojson }}{{- '\\n\\n' }}
                {%- endfor %}
                {{- first_user_message + '<|eot_id|>' }}
            {%- endif %}
            {%- for message in messages %}
                {%- if message.role == 'assistant' and message.tool_calls %}
                    {%- set call = message.tool_calls[0].function %}
                    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
                    {{- '{"name": "' + call.name + '", "parameters": ' }}{{- call.arguments | tojson }}{{- '}<|eot_id|>' }}
                {%- elif message.role == 'tool' %}
                    {{- '<|start_header_id|>ipython<|end_header_id|>\\n\\n' + message.content + '<|eot_id|>' }}
                {%- else %}
                    {{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content | trim + '<|eot_id|>' }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}
            """;
}
