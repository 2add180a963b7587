package io.steerguard.training.evaluation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.steerguard.shadow.WindowCounts;

/**
 * A running gateway as the live mode sees it: chat completions through its OpenAI API with a
 * steering profile ({@code X-SteerGuard-Profile}), and the profile's paired statistics from
 * {@code GET /admin/profiles/{name}/safety}.
 */
public final class LiveGateway {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    /** Where /q/metrics is served: the gateway's management interface, not its client port. */
    private final URI management;
    private final String apiKey;
    private final String adminKey;
    private final String model;

    /** A gateway whose management interface is on the same host, port 9000 (the default). */
    public LiveGateway(String baseUrl, String apiKey, String adminKey, String model) {
        this(baseUrl, defaultManagementUrl(baseUrl), apiKey, adminKey, model);
    }

    public LiveGateway(String baseUrl, String managementUrl, String apiKey, String adminKey, String model) {
        this.base = URI.create(Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "") + "/");
        this.management = URI.create(Objects.requireNonNull(managementUrl, "managementUrl").replaceAll("/+$", "") + "/");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.adminKey = Objects.requireNonNull(adminKey, "adminKey");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** {@code baseUrl} with port 9000: where the gateway serves /q/metrics unless configured otherwise. */
    public static String defaultManagementUrl(String baseUrl) {
        URI uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
        return uri.getScheme() + "://" + uri.getHost() + ":9000";
    }

    /** The profile's counts in {@code window} (e.g. PT1H; the last window when absent) and the gateway's externality. */
    public record Safety(String window, WindowCounts counts, io.steerguard.stats.Estimate externality) {
    }

    /**
     * Sends every prompt (greedy, {@code maxTokens}), {@code concurrency} at a time; returns how many
     * were not answered with 200. Blocking.
     */
    public int send(List<EvalPrompt> prompts, String profile, int maxTokens, int concurrency,
                    Consumer<String> progress) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<Integer>> statuses = new ArrayList<>();
        for (EvalPrompt p : prompts) {
            slots.acquire();
            HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .header("X-SteerGuard-Profile", profile)
                    .POST(HttpRequest.BodyPublishers.ofString(body(p, maxTokens)))
                    .build();
            statuses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((r, e) -> {
                        slots.release();
                        if (e != null) {
                            progress.accept("request " + p.id() + " failed: " + e);
                            return -1;
                        }
                        if (r.statusCode() != 200) {
                            progress.accept("request " + p.id() + ": HTTP " + r.statusCode() + " " + r.body());
                        }
                        return r.statusCode();
                    }));
        }
        int failed = 0;
        for (CompletableFuture<Integer> s : statuses) {
            failed += s.join() == 200 ? 0 : 1;
        }
        return failed;
    }

    private String body(EvalPrompt p, int maxTokens) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model);
        root.put("max_tokens", maxTokens);
        root.put("temperature", 0);
        ArrayNode messages = root.putArray("messages");
        if (p.system() != null) {
            messages.addObject().put("role", "system").put("content", p.system());
        }
        messages.addObject().put("role", "user").put("content", p.prompt());
        return root.toString();
    }

    /**
     * Mirrored requests of {@code profile} that ended other than paired (dropped by the bounded
     * queue, skipped, failed), from {@code steerguard_shadow_samples_total} on {@code /q/metrics};
     * 0 when the gateway does not publish the counter. Lets a waiting caller stop waiting for pairs
     * that will never come.
     */
    public long unpaired(String profile) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(management.resolve("q/metrics")).timeout(Duration.ofSeconds(10))
                .GET().build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? unpaired(r.body(), profile) : 0;
    }

    static long unpaired(String metrics, String profile) {
        long n = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("steerguard_shadow_samples_total{") && line.contains("profile=\"" + profile + "\"")
                    && !line.contains("outcome=\"paired\"")) {
                n += Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return n;
    }

    /** The profile's current statistics. */
    public Safety safety(String profile, String window) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("admin/profiles/"
                        + URLEncoder.encode(profile, StandardCharsets.UTF_8) + "/safety"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminKey)
                .GET().build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + request.uri() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return parse(r.body(), window);
    }

    /**
     * The counts behind the admin API's rates: each rate is k/n with its n given, so k = round(value·n).
     * The safety margin's sums are not published; they are left at 0.
     */
    static Safety parse(String json, String window) throws IOException {
        JsonNode windows = MAPPER.readTree(json).path("windows");
        if (!windows.isArray() || windows.isEmpty()) {
            throw new IOException("no windows in the safety answer: " + json);
        }
        JsonNode w = windows.get(windows.size() - 1);
        for (JsonNode candidate : windows) {
            if (candidate.path("window").asText().equals(window)) {
                w = candidate;
            }
        }
        long pairs = w.path("pairs").asLong();
        long steered = k(w.path("steeredRefusalRate"));
        long unsteered = k(w.path("unsteeredRefusalRate"));
        JsonNode ext = w.path("externalityRate");
        long externalities = k(ext);
        long over = k(w.path("overRefusalRate"));
        return new Safety(w.path("window").asText(), new WindowCounts(pairs, 0, steered, unsteered, externalities, over,
                0, 0), LiveResult.estimate(ext));
    }

    private static long k(JsonNode estimate) {
        long n = estimate.path("n").asLong();
        return n == 0 ? 0 : Math.round(estimate.path("value").asDouble() * n);
    }
}
