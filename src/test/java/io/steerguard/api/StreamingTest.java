package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;

/** Server-sent events exactly as OpenAI frames them, and upstream faults mapped to clean errors. */
@QuarkusTest
class StreamingTest {

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    private static String streamBody(String model, boolean usage) {
        return "{\"model\":\"" + model + "\",\"stream\":true" + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void streamedChat_matchesTheOpenAiFixture_byteForByte() throws Exception {
        upstream().enqueue(FakeUpstream.Reply.chatStream("Hel", "lo é😀"));

        String body = given().header("Authorization", "Bearer " + ACME_KEY).header("X-Request-Id", "sse-fixture")
                .contentType("application/json").body(streamBody("plain", true)).post("/v1/chat/completions")
                .then().statusCode(200).header("Content-Type", "text/event-stream; charset=utf-8")
                .extract().asString();

        String expected = Files.readString(Path.of("src/test/resources/testdata/sse/chat-stream-with-usage.txt"));
        assertThat(body.replaceAll("\"created\":\\d+", "\"created\":0")).isEqualTo(expected);
    }

    @Test
    void streamWithoutIncludeUsage_hasNoUsageFields_andEndsWithDone() {
        upstream().enqueue(FakeUpstream.Reply.chatStream("a"));

        String body = given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body(streamBody("plain", false)).post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();

        assertThat(body).doesNotContain("usage").endsWith("data: [DONE]\n\n");
        assertThat(body.split("\n\n")).hasSize(3);
    }

    @Test
    void upstream500_becomes502_inOpenAiShape() {
        upstream().enqueue(FakeUpstream.Reply.status(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"));

        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(502).body("error.code", equalTo("upstream_error"))
                .body("error.type", equalTo("server_error"));
    }

    @Test
    void upstreamDown_becomes502_upstreamUnavailable() {
        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("dead", "Hi"))
                .then().statusCode(502).body("error.code", equalTo("upstream_unavailable"));
    }

    @Test
    void slowUpstream_becomes504_afterTheReadTimeout() {
        upstream().enqueue(FakeUpstream.Reply.neverAnswer());
        long start = System.nanoTime();

        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body(streamBody("plain", false)).post("/v1/chat/completions")
                .then().statusCode(504).body("error.code", equalTo("upstream_timeout"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void slowUpstream_forAWholeAnswer_becomes504_afterTheRequestTimeout_notTheReadTimeout() {
        // sent with "stream": false, the upstream is silent until it has finished: a 1 s read
        // timeout would cut every answer longer than a second, so only the 5 s request timeout applies
        upstream().enqueue(FakeUpstream.Reply.neverAnswer());
        long start = System.nanoTime();

        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(504).body("error.code", equalTo("upstream_timeout"))
                .body("error.message", org.hamcrest.Matchers.containsString("did not finish within 5000 ms"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(4900));
    }

    @Test
    void slowStreamingUpstream_beforeTheFirstToken_stillGetsAnErrorStatus() {
        upstream().enqueue(FakeUpstream.Reply.neverAnswer());

        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body(streamBody("plain", false)).post("/v1/chat/completions")
                .then().statusCode(504).contentType("application/json");
    }

    @Test
    void connectionResetMidStream_endsTheStreamWithAnErrorEvent_andNoDone() {
        upstream().enqueue(FakeUpstream.Reply.chatStream("one", "two", "three").delay(Duration.ofMillis(100))
                .resetAfter(3));

        String body = given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body(streamBody("plain", false)).post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();

        assertThat(body).contains("\"content\":\"one\"").contains("data: {\"error\":")
                .contains("\"code\":\"upstream_error\"").doesNotContain("[DONE]");
    }

    @Test
    void connectionResetMidStream_withoutStreaming_becomes502() {
        upstream().enqueue(FakeUpstream.Reply.chatStream("one", "two", "three").resetAfter(3));

        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(502).body("error.code", equalTo("upstream_error"));
    }

    @Test
    void clientDisconnect_cancelsTheUpstreamRequest() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("a", "b", "c", "d", "e", "f").delay(Duration.ofMillis(300)));
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String body = streamBody("plain", false);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ACME_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(64), StandardCharsets.UTF_8);
            assertThat(head).startsWith("HTTP/1.1 200");
        }
        FakeUpstream.Exchange exchange = upstream().awaitExchange(before, Duration.ofSeconds(5));
        assertThat(exchange.awaitClientClose(Duration.ofSeconds(5)))
                .as("the gateway resets the upstream request when its client goes away").isTrue();
        assertThat(exchange.serverEnded()).as("the upstream did not get to finish the stream").isFalse();
    }
}
