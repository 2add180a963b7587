package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Tools, tool history, n, penalties and logit_bias that OpenAI would refuse are refused by the gateway
 * with OpenAI's error shape and the offending {@code param}, before any runtime sees them.
 */
@QuarkusTest
class ToolRequestRejectionTest {

    private static final String USER = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
    private static final String TOOL = "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            tools not an array      | ~"tools": {}~ | tools | Invalid type for 'tools': expected an array, but got an object instead.
            tools empty             | ~"tools": []~ | tools | Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.
            tool of another type    | ~"tools": [{"type": "retrieval", "function": {"name": "f"}}]~ | tools[0].type | Invalid value: 'retrieval'. Supported values are: 'function'.
            tool without type       | ~"tools": [{"function": {"name": "f"}}]~ | tools[0].type | Missing required parameter: 'tools[0].type'.
            function without name   | ~"tools": [{"type": "function", "function": {}}]~ | tools[0].function.name | Missing required parameter: 'tools[0].function.name'.
            function name bad chars | ~"tools": [{"type": "function", "function": {"name": "get weather"}}]~ | tools[0].function.name | Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.
            parameters not object   | ~"tools": [{"type": "function", "function": {"name": "f", "parameters": "{}"}}]~ | tools[0].function.parameters | Invalid type for 'tools[0].function.parameters': expected an object, but got a string instead.
            strict not boolean      | ~"tools": [{"type": "function", "function": {"name": "f", "strict": "yes"}}]~ | tools[0].function.strict | Invalid type for 'tools[0].function.strict': expected a boolean, but got a string instead.
            duplicate function      | ~"tools": [{"type": "function", "function": {"name": "f"}}, {"type": "function", "function": {"name": "f"}}]~ | tools[1].function.name | Invalid 'tools[1].function.name': the function name 'f' is used twice.
            tool_choice unknown     | ~"tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "any"~ | tool_choice | Invalid value: 'any'. Supported values are: 'none', 'auto', and 'required'.
            tool_choice no tools    | ~"tool_choice": "auto"~ | tool_choice | Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.
            tool_choice other name  | ~"tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": {"type": "function", "function": {"name": "g"}}~ | tool_choice.function.name | Invalid value for 'tool_choice': function 'g' is not one of the 'tools'.
            parallel without tools  | ~"parallel_tool_calls": false~ | parallel_tool_calls | Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.
            parallel not boolean    | ~"tools": [{"type": "function", "function": {"name": "f"}}], "parallel_tool_calls": 1~ | parallel_tool_calls | Invalid type for 'parallel_tool_calls': expected a boolean, but got a number instead.
            legacy functions        | ~"functions": [{"name": "f"}]~ | functions | 'functions' is deprecated and not supported by SteerGuard; use 'tools' and 'tool_choice'.
            n zero                  | ~"n": 0~ | n | Invalid 'n': 0 is not within [1, 128].
            presence too high       | ~"presence_penalty": 2.5~ | presence_penalty | Invalid 'presence_penalty': 2.5 is not within [-2, 2].
            frequency as string     | ~"frequency_penalty": "1"~ | frequency_penalty | Invalid type for 'frequency_penalty': expected a number, but got a string instead.
            logit_bias not object   | ~"logit_bias": [1]~ | logit_bias | Invalid type for 'logit_bias': expected an object, but got an array instead.
            logit_bias word key     | ~"logit_bias": {"hello": 5}~ | logit_bias | Invalid 'logit_bias': key 'hello' is not a token id (a non-negative integer).
            logit_bias out of range | ~"logit_bias": {"42": 101}~ | logit_bias | Invalid 'logit_bias': the bias of token 42 must be a number within [-100, 100].
            """)
    void badToolOrSamplingField_isRejectedWithItsParam(String name, String fields, String param, String message) {
        String body = "{\"model\": \"plain\", " + fields + ", " + USER + "}";
        GatewayApiTest.chat(ACME_KEY, body).then().statusCode(400).contentType("application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param)).body("error.message", equalTo(message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            tool_calls on a user turn   | ~{"role": "user", "content": "x", "tool_calls": []}~ | messages[0].tool_calls | Invalid 'messages[0].tool_calls': only assistant messages carry tool calls.
            call without id             | ~{"role": "assistant", "content": null, "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{}"}}]}~ | messages[0].tool_calls[0].id | Missing required parameter: 'messages[0].tool_calls[0].id'.
            call of another type        | ~{"role": "assistant", "tool_calls": [{"id": "c", "type": "code", "function": {"name": "f", "arguments": "{}"}}]}~ | messages[0].tool_calls[0].type | Invalid value for 'messages[0].tool_calls[0].type': expected 'function'.
            arguments as an object      | ~{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": {}}}]}~ | messages[0].tool_calls[0].function.arguments | Invalid type for 'messages[0].tool_calls[0].function.arguments': expected a string (JSON text), but got an object instead.
            tool turn without call id   | ~{"role": "tool", "content": "72F"}~ | messages[0].tool_call_id | Missing required parameter: 'messages[0].tool_call_id'.
            tool turn without content   | ~{"role": "tool", "tool_call_id": "c"}~ | messages[0].content | Missing required parameter: 'messages[0].content'.
            """)
    void badToolHistory_isRejectedWithItsParam(String name, String message0, String param, String message) {
        String body = "{\"model\": \"plain\", \"messages\": [" + message0 + ", {\"role\": \"user\", \"content\": \"x\"}]}";
        GatewayApiTest.chat(ACME_KEY, body).then().statusCode(400).contentType("application/json")
                .body("error.param", equalTo(param)).body("error.message", equalTo(message));
    }
}
