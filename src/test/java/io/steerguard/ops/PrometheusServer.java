package io.steerguard.ops;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) started for one test: its own
 * temporary TSDB, loopback only, a 1 s scrape and rule-evaluation interval, stopped on close.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Finds a Prometheus tool on the PATH, or fails saying how to install it. */
    static String executable(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed: these tests need a real Prometheus. "
                + "Install Debian's package with `apt-get install -y prometheus` (.ci/run does).");
    }

    /** Starts Prometheus scraping {@code target} (host:port) at {@code metricsPath}, with {@code ruleFile} loaded. */
    static PrometheusServer start(String target, String metricsPath, Path ruleFile) throws IOException {
        String prometheus = executable("prometheus");
        Path dir = Files.createTempDirectory("steerguard-prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: steerguard
                    metrics_path: %s
                    static_configs:
                      - targets: ["%s"]
                """.formatted(ruleFile.toAbsolutePath(), metricsPath, target));
        Path log = Path.of("target/ops/prometheus.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(prometheus, "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, dir, port);
        server.awaitReady(Duration.ofSeconds(20));
        return server;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ", see target/ops/prometheus.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout);
    }

    /** GET {@code /api/v1/...}; fails unless Prometheus answers {@code "status": "success"}. */
    JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus " + pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        }
        return body.path("data");
    }

    /** An instant query's result vector (or scalar, wrapped as one sample). */
    List<JsonNode> query(String promql) throws IOException, InterruptedException {
        JsonNode data = api("/api/v1/query?query=" + encode(promql));
        List<JsonNode> out = new ArrayList<>();
        if (data.path("resultType").asText().equals("scalar")) {
            out.add(data.path("result"));
        } else {
            data.path("result").forEach(out::add);
        }
        return out;
    }

    /** Every metric name Prometheus holds. */
    List<String> metricNames() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        api("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Polls {@code promql} until it returns a series, for at most {@code timeout}. */
    List<JsonNode> awaitSeries(String promql, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> result = query(promql);
            if (!result.isEmpty()) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no series for " + promql + " within " + timeout);
            }
            sleep(250);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
