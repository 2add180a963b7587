package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * The request path never blocks the event loop. The test gateway runs ONE event loop, and the
 * upstream takes about a second per answer: if any step waited for the upstream on the loop,
 * sixteen concurrent requests would take sixteen seconds and other endpoints would stall.
 */
@QuarkusTest
class EventLoopTest {

    @Test
    void slowUpstream_doesNotStallTheEventLoop_forConcurrentRequests() throws Exception {
        int concurrent = 16;
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest chat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + ACME_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayApiTest.userMessage("plain", "Hi"))).build();
        HttpRequest models = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header("Authorization", "Bearer " + ACME_KEY).build();

        // warm up the client and the gateway so class loading does not count as latency
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("warm"));
        assertThat(client.send(chat, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        client.send(models, HttpResponse.BodyHandlers.ofString());

        for (int i = 0; i < concurrent; i++) {
            GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("slow").delay(Duration.ofMillis(250)));
        }
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            inFlight.add(client.sendAsync(chat, HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(200);
        long modelsStart = System.nanoTime();
        HttpResponse<String> modelsResponse = client.send(models, HttpResponse.BodyHandlers.ofString());
        Duration modelsLatency = Duration.ofNanos(System.nanoTime() - modelsStart);
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"content\":\"slow\"");
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);

        assertThat(modelsResponse.statusCode()).isEqualTo(200);
        assertThat(modelsLatency).as("another endpoint answers while 16 generations wait upstream")
                .isLessThan(Duration.ofMillis(1000));
        // each answer spends ~1 s upstream (4 writes 250 ms apart); serialised they would need ~16 s
        assertThat(total).isLessThan(Duration.ofSeconds(8));
    }
}
