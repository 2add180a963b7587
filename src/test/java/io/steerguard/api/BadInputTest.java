package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.steerguard.runtime.remote.FakeUpstream;

/** Every kind of bad input gets a precise OpenAI error, and the next good request is served. */
@QuarkusTest
class BadInputTest {

    @AfterEach
    void nextGoodRequest_isStillServed() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("still here"));
        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(200).body("choices[0].message.content", equalTo("still here"));
    }

    private static ValidatableResponse post(String body) {
        return GatewayApiTest.chat(ACME_KEY, body).then().contentType("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            malformed JSON          | {"model": "plain", "messages": [  | 400 | | The request body is not valid JSON: Unexpected end-of-input: expected close marker for Array (line 1, column 33).
            not an object           | [1, 2]                               | 400 | | The request body must be a JSON object.
            missing model           | {"messages": [{"role": "user", "content": "x"}]} | 400 | model | Missing required parameter: 'model'.
            missing messages        | {"model": "plain"}                   | 400 | messages | Missing required parameter: 'messages'.
            empty messages          | {"model": "plain", "messages": []}   | 400 | messages | 'messages' must be a non-empty array.
            unknown role            | {"model": "plain", "messages": [{"role": "robot", "content": "x"}]} | 400 | messages[0].role | Invalid 'messages[0].role': expected one of system, developer, user, assistant, tool.
            temperature as string   | {"model": "plain", "temperature": "hot", "messages": [{"role": "user", "content": "x"}]} | 400 | temperature | Invalid type for 'temperature': expected a number, but got a string instead.
            temperature too high    | {"model": "plain", "temperature": 2.5, "messages": [{"role": "user", "content": "x"}]} | 400 | temperature | Invalid 'temperature': 2.5 is not within [0, 2].
            top_p zero              | {"model": "plain", "top_p": 0, "messages": [{"role": "user", "content": "x"}]} | 400 | top_p | Invalid 'top_p': must be greater than 0 and at most 1.
            max_tokens zero         | {"model": "plain", "max_tokens": 0, "messages": [{"role": "user", "content": "x"}]} | 400 | max_tokens | Invalid 'max_tokens': 0 is not within [1, 32768].
            max_tokens fraction     | {"model": "plain", "max_tokens": 1.5, "messages": [{"role": "user", "content": "x"}]} | 400 | max_tokens | Invalid type for 'max_tokens': expected an integer, but got a number instead.
            n above 128             | {"model": "plain", "n": 129, "messages": [{"role": "user", "content": "x"}]} | 400 | n | Invalid 'n': 129 is not within [1, 128].
            five stop sequences     | {"model": "plain", "stop": ["a","b","c","d","e"], "messages": [{"role": "user", "content": "x"}]} | 400 | stop | Invalid 'stop': expected a string or an array of at most 4 strings.
            stream_options alone    | {"model": "plain", "stream_options": {"include_usage": true}, "messages": [{"role": "user", "content": "x"}]} | 400 | stream_options | 'stream_options' is only allowed when 'stream' is true.
            image content           | {"model": "plain", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]} | 400 | messages[0].content[0] | Invalid 'messages[0].content[0]': only text content parts ({"type": "text", "text": ...}) are supported.
            inline steering vectors | {"model": "plain", "steering": {"vectors": []}, "messages": [{"role": "user", "content": "x"}]} | 400 | steering.vectors | 'steering.vectors' is not accepted: vectors cannot be set per request; select a configured profile with 'steering.profile'.
            tool without function   | {"model": "plain", "tools": [{"type": "function"}], "messages": [{"role": "user", "content": "x"}]} | 400 | tools[0].function | Missing required parameter: 'tools[0].function'.
            unknown model           | {"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]} | 404 | model | The model 'gpt-9' does not exist or you do not have access to it.
            profile not allowed     | {"model": "steer", "steering": {"profile": "compliance"}, "messages": [{"role": "user", "content": "x"}]} | 403 | steering.profile | Steering profile 'compliance' does not exist for model 'steer' or is not allowed for your API key.
            profile unknown         | {"model": "steer", "steering": {"profile": "nope"}, "messages": [{"role": "user", "content": "x"}]} | 403 | steering.profile | Steering profile 'nope' does not exist for model 'steer' or is not allowed for your API key.
            """)
    void badRequest_getsAPreciseOpenAiError(String name, String body, int status, String param, String message) {
        post(body).statusCode(status).body("error.message", equalTo(message))
                .body("error.param", param == null ? nullValue() : equalTo(param));
    }

    @Test
    void headerAndBodyNamingDifferentProfiles_isRejected() {
        given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", "json-format")
                .contentType("application/json")
                .body("{\"model\":\"steer\",\"steering\":{\"profile\":\"unsteered\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("steering.profile"));
    }

    @Test
    void missingKey_gets401_invalidApiKey() {
        given().contentType("application/json").body(GatewayApiTest.userMessage("plain", "x"))
                .post("/v1/chat/completions")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void wrongKey_gets401_invalidApiKey() {
        GatewayApiTest.chat("sk-acme-test-kez", GatewayApiTest.userMessage("plain", "x"))
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void oversizedBody_gets413_inOpenAiShape() {
        String huge = "x".repeat(70_000);
        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", huge))
                .then().statusCode(413).body("error.code", equalTo("request_too_large"))
                .body("error.message", equalTo("Request body is larger than the limit of 65536 bytes."));
    }

    @Test
    void unknownEndpoint_gets404_andWrongMethod_gets405_inOpenAiShape() {
        given().header("Authorization", "Bearer " + ACME_KEY).get("/v1/embeddings")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().header("Authorization", "Bearer " + ACME_KEY).get("/v1/chat/completions")
                .then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
    }

    @Test
    void rateLimitedTenant_gets429_withRetryAfter() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("1"));
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("2"));
        for (int i = 0; i < 2; i++) {
            GatewayApiTest.chat(GatewayTestResource.LIMITED_KEY, GatewayApiTest.userMessage("plain", "x"))
                    .then().statusCode(200);
        }
        GatewayApiTest.chat(GatewayTestResource.LIMITED_KEY, GatewayApiTest.userMessage("plain", "x"))
                .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error.code", equalTo("rate_limit_exceeded"));
    }
}
