package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.steerguard.training.evaluation.LiveResult;
import io.steerguard.training.evaluation.ReportRenderer;

/**
 * The live mode against a fake gateway: an HTTP server that answers chat completions and, like the
 * real shadow path, pairs each answered request some time later (here: the safety endpoint's pair
 * count lags the requests by one poll), three of every four of them refused unsteered and one of
 * those complied with steered.
 */
class DemoEvaluationLiveTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> profileHeaders = new CopyOnWriteArrayList<>();
    private final List<String> adminAuth = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger pairedSoFar = new AtomicInteger();
    /** Pairs already in the window before the run (from earlier traffic). */
    private final int earlier = 4;
    /** Twins of this run the fake's shadow queue drops: they never pair, and /q/metrics counts them. */
    private volatile int droppedTwins;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            bodies.add(MAPPER.readTree(ex.getRequestBody()));
            profileHeaders.add(ex.getRequestHeaders().getFirst("X-SteerGuard-Profile"));
            boolean authorised = "Bearer sk-user".equals(ex.getRequestHeaders().getFirst("Authorization"));
            respond(ex, authorised ? 200 : 401, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}");
            if (authorised) {
                answered.incrementAndGet();
            }
        });
        server.createContext("/admin/profiles/json-format/safety", ex -> {
            adminAuth.add(ex.getRequestHeaders().getFirst("Authorization"));
            // the shadow path lags: each poll pairs at most what was answered before the previous poll
            int paired = pairedSoFar.getAndSet(Math.max(0, answered.get() - droppedTwins));
            respond(ex, 200, safety(earlier + paired));
        });
        server.createContext("/q/metrics", ex -> {
            // one twin was dropped before the run; this run's drops show once its requests were answered
            int dropped = 1 + (answered.get() > 0 ? droppedTwins : 0);
            respond(ex, 200, "# TYPE steerguard_shadow_samples_total counter\n"
                    + "steerguard_shadow_samples_total{outcome=\"paired\",profile=\"json-format\"} 99.0\n"
                    + "steerguard_shadow_samples_total{outcome=\"dropped\",profile=\"json-format\"} " + dropped + ".0\n"
                    + "steerguard_shadow_samples_total{outcome=\"dropped\",profile=\"other\"} 7.0\n");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Of n pairs: 3 in 4 refused unsteered; of those, one in three complied with steered. */
    private static String safety(int n) {
        int unsteeredRefused = n * 3 / 4;
        int externalities = unsteeredRefused / 3;
        return "{\"profile\":\"json-format\",\"state\":\"WARN\",\"windows\":["
                + window("PT5M", 0, 0, 0) + "," + window("PT1H", n, unsteeredRefused, externalities) + ","
                + window("PT24H", n, unsteeredRefused, externalities) + "]}";
    }

    private static String window(String w, int n, int unsteeredRefused, int externalities) {
        return "{\"window\":\"" + w + "\",\"confidence\":0.95,\"pairs\":" + n
                + ",\"steeredRefusalRate\":" + est(n, unsteeredRefused - externalities)
                + ",\"unsteeredRefusalRate\":" + est(n, unsteeredRefused)
                + ",\"externalityRate\":" + est(unsteeredRefused, externalities)
                + ",\"overRefusalRate\":" + est(n - unsteeredRefused, 0) + ",\"safetyMargin\":{\"n\":" + n + "}}";
    }

    private static String est(int n, int k) {
        return n == 0 ? "{\"n\":0}" : "{\"n\":" + n + ",\"value\":" + ((double) k / n) + ",\"lower\":0.0,\"upper\":1.0}";
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void liveMode_sendsTheHeldOutMix_waitsForThePairs_andReportsOnlyThisRunsCounts() throws Exception {
        Path report = dir.resolve("demo-model.md");
        Files.writeString(report, "# report\n\n" + ReportRenderer.LIVE_BEGIN + "\nold\n" + ReportRenderer.LIVE_END
                + "\n\n## Timing\n");
        Path json = dir.resolve("live.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Cli.run("evaluate-demo", new String[] {"--gateway", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--management", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--api-key", "sk-user", "--admin-key", "sk-admin", "--profile", "json-format", "--requests", "8",
                "--wait-seconds", "20", "--live-out", json.toString(), "--out", report.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(bodies).hasSize(8);
        assertThat(profileHeaders).containsOnly("json-format");
        assertThat(adminAuth).containsOnly("Bearer sk-admin");
        assertThat(bodies.get(0).path("temperature").asDouble()).isZero();
        assertThat(bodies.get(0).path("max_tokens").asInt()).isEqualTo(48);
        assertThat(bodies.get(0).path("model").asText()).isEqualTo("demo-chat");
        LiveResult live = LiveResult.fromJson(Files.readString(json));
        assertThat(live.harmfulSent()).isEqualTo(6);
        assertThat(live.benignSent()).isEqualTo(2);
        assertThat(live.window()).isEqualTo("PT1H");
        // 12 pairs in the window after, 4 before: this run's 8 pairs, 9 - 3 refused unsteered, 3 - 1 externalities
        assertThat(live.live().samples()).isEqualTo(8);
        assertThat(live.live().unsteeredRefused()).isEqualTo(6);
        assertThat(live.live().externalities()).isEqualTo(2);
        assertThat(live.offline()).isNull();
        String md = Files.readString(report);
        assertThat(md).startsWith("# report\n\n" + ReportRenderer.LIVE_BEGIN).endsWith(ReportRenderer.LIVE_END
                + "\n\n## Timing\n").doesNotContain("\nold\n")
                .contains("| gateway, live | 8 | 6 | 0.333 [0.097, 0.700] (2/6) |");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("## Live externality through the gateway");
    }

    @Test
    void twinsTheShadowQueueDropped_areNotWaitedFor() throws Exception {
        droppedTwins = 2;
        Path json = dir.resolve("live.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run("evaluate-demo", new String[] {"--gateway", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--management", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--api-key", "sk-user", "--admin-key", "sk-admin", "--requests", "8", "--wait-seconds", "20",
                "--live-out", json.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        LiveResult live = LiveResult.fromJson(Files.readString(json));
        assertThat(live.live().samples()).isEqualTo(6);
        assertThat(live.waitedSeconds()).isLessThan(10);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("paired 6 of 8 answered requests (2 dropped or skipped");
    }

    @Test
    void rejectedRequests_areCountedAsFailed_andNotWaitedFor() throws Exception {
        Path json = dir.resolve("live.json");
        int code = Cli.run("evaluate-demo", new String[] {"--gateway", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--management", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--api-key", "sk-wrong", "--admin-key", "sk-admin", "--requests", "4", "--wait-seconds", "20",
                "--live-out", json.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        LiveResult live = LiveResult.fromJson(Files.readString(json));
        assertThat(live.failed()).isEqualTo(4);
        assertThat(live.live().samples()).isZero();
        assertThat(live.waitedSeconds()).isLessThan(5);
    }
}
