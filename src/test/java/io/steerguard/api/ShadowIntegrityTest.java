package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.steerguard.tenant.ApiKeys;

/**
 * Issue 12 points 1 and 2 end to end on the embedded tiny model, attacked from outside the way a
 * client would: a client that picks its request ids cannot choose whether it is mirrored, and a
 * client that reads the first chunk and hangs up is still measured.
 */
@QuarkusTest
@TestProfile(ShadowIntegrityTest.Profile.class)
class ShadowIntegrityTest {

    static final String PICKER_KEY = "sk-picker-test-key";
    static final String HANGUP_KEY = "sk-hangup-test-key";

    /** Only this test's documents: the tiny model with a half-mirrored and an always-mirrored profile. */
    public static final class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("steerguard-shadow-integrity");
                Path data = Files.createDirectories(dir.resolve("data"));
                Path config = Files.createDirectories(dir.resolve("config"));
                Files.writeString(config.resolve("integrity.yaml"), documents());
                return Map.of("steerguard.config.paths", config.toString(),
                        "steerguard.policy.data-dir", data.toString(),
                        "steerguard.probes.enabled", "false");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String documents() {
            return """
                    apiVersion: steerguard.io/v1
                    kind: Runtime
                    metadata: {name: tiny-integrity}
                    spec: {type: embedded, model: "%1$s", device: cpu, maxBatch: 4, maxContext: 256}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: tiny-half}
                    spec:
                      runtime: tiny-integrity
                      vectors: [{file: "%2$s", layers: [1, 2], coefficient: 4.0}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: tiny-always}
                    spec:
                      runtime: tiny-integrity
                      vectors: [{file: "%2$s", layers: [1], coefficient: 4.0}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: integrity-half}
                    spec:
                      selector: {profiles: [tiny-half]}
                      shadow: {sampleRate: 0.5, probationSampleRate: 0.5, maxTokens: 2}
                      limits: {maxExternalityRate: 1.0}
                      action: alert
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: integrity-always}
                    spec:
                      selector: {profiles: [tiny-always]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 8}
                      limits: {maxExternalityRate: 1.0}
                      action: alert
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: picker}
                    spec:
                      apiKeys: [{sha256: %3$s}]
                      models:
                        tiny-integrity: {defaultProfile: tiny-half}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: hangup}
                    spec:
                      apiKeys: [{sha256: %4$s}]
                      models:
                        tiny-integrity: {defaultProfile: tiny-always}
                    """.formatted(Path.of("models/tiny-random").toAbsolutePath(),
                    Path.of("models/tiny-random/vectors/random-direction.gguf").toAbsolutePath(),
                    ApiKeys.sha256Hex(PICKER_KEY), ApiKeys.sha256Hex(HANGUP_KEY));
        }
    }

    /** Sum of every {@code steerguard_shadow_samples_total} series of {@code profile} with {@code outcome} (any outcome when null). */
    static double samples(String scrape, String profile, String outcome) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("steerguard_shadow_samples_total{") && line.contains("profile=\"" + profile + "\"")
                    && (outcome == null || line.contains("outcome=\"" + outcome + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Waits until no mirror runs or waits, so every sampled request has its outcome counted. */
    static String settledScrape() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String s = Management.given().get("/q/metrics").asString();
            return s.contains("\nsteerguard_shadow_queue_depth 0.0") && s.contains("\nsteerguard_shadow_inflight 0.0");
        });
        return Management.given().get("/q/metrics").asString();
    }

    @Test
    void clientChosenRequestIds_doNotChangeTheMirroredShare() {
        double before = samples(settledScrape(), "tiny-half", null);
        for (int i = 0; i < 40; i++) {
            given().header("Authorization", "Bearer " + PICKER_KEY).header("X-Request-Id", "always-the-same-id")
                    .contentType("application/json")
                    .body("{\"model\":\"tiny-integrity\",\"max_tokens\":2,\"temperature\":0,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).header("X-SteerGuard-Decision", "steered");
        }
        double mirrored = samples(settledScrape(), "tiny-half", null) - before;
        // rate 0.5 over 40 requests: outside [8, 32] has probability 4e-5 for an unbiased coin, while
        // a sampler keyed on the client's id mirrors all 40 or none
        assertThat(mirrored).as("mirrored out of 40 requests that all carry one client-chosen id")
                .isBetween(8.0, 32.0);
    }

    @Test
    void streamedClientThatHangsUpAfterTheFirstChunk_isStillPaired() throws Exception {
        String start = settledScrape();
        double pairedBefore = samples(start, "tiny-always", "paired");
        double skippedBefore = samples(start, "tiny-always", "skipped");
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String body = "{\"model\":\"tiny-integrity\",\"stream\":true,\"max_tokens\":200,\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]}";
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + HANGUP_KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(readUntil(in, "data: ")).startsWith("HTTP/1.1 200");
                socket.setSoLinger(true, 0); // hang up hard, right after the first chunk
            }
        }

        String end = settledScrape();
        assertThat(samples(end, "tiny-always", "skipped") - skippedBefore).as("hang-ups are not skipped").isZero();
        assertThat(samples(end, "tiny-always", "paired") - pairedBefore).as("every hang-up is paired").isEqualTo(5);
        assertThat(end).contains("steerguard_shadow_paired_after_disconnect_total{profile=\"tiny-always\","
                + "tenant=\"hangup\"}");
    }

    /** Reads until {@code marker} has been seen; returns what was read. */
    static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[256];
        while (!seen.toString().contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return seen.toString();
    }
}
