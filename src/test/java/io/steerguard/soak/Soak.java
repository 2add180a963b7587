package io.steerguard.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.steerguard.bench.LatencyHistogram;
import io.steerguard.tenant.ApiKeys;
import io.vertx.core.Vertx;

/**
 * Chaos and soak run (not part of the test suite): the packaged gateway on loopback in front of a
 * {@link SoakUpstream}, with Redis as its state backend, under N minutes of mixed open-loop traffic
 * ({@link SoakClients}) while faults are injected on a fixed schedule: Redis killed with SIGKILL
 * and restarted, upstream resets, stalls and garbage, a config file caught half-written, and an
 * admin block of a profile that traffic keeps asking for. It then checks what the gateway
 * promises and exits 1 if anything broke:
 * <ul>
 *   <li>no block lost: after the block (+1 s) the profile is never served steered, through the
 *       Redis restart too;</li>
 *   <li>no 5xx except during the injected upstream faults (plus the read timeout);</li>
 *   <li>heap after a full GC and file descriptors flat between the first and last quarter;</li>
 *   <li>p99 of the well-behaved clients within {@code --p99-bound-ms};</li>
 *   <li>slowloris connections closed by the gateway within {@code --header-bound-s} (when set; by
 *       default their lifetime is only reported).</li>
 * </ul>
 * Run it with {@code src/test/bench/soak.sh}; results go to {@code --out} and {@code docs/reliability.md}.
 */
public final class Soak {

    private final Map<String, String> args;
    private final Path work;
    private final SoakLedger ledger = new SoakLedger(Duration.ofSeconds(3).toNanos());
    private final List<String> timeline = new ArrayList<>();
    /** When traffic started (after the gateway was ready); the fault schedule counts from here. */
    private long t0 = System.nanoTime();

    private Soak(Map<String, String> args) throws IOException {
        this.args = args;
        this.work = Files.createTempDirectory("steerguard-soak");
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println("usage: Soak --minutes=5 --rate=40 --jar=target/quarkus-app/quarkus-run.jar --out=DIR "
                        + "[--p99-bound-ms=250] [--header-bound-s=30] [--java-opts='-Xmx512m']");
                System.exit(2);
            }
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        System.exit(new Soak(args).run() ? 0 : 1);
    }

    private double arg(String name, double fallback) {
        return args.containsKey(name) ? Double.parseDouble(args.get(name)) : fallback;
    }

    private boolean run() throws Exception {
        long minutes = (long) arg("minutes", 5);
        double rate = arg("rate", 40);
        Path out = Path.of(args.getOrDefault("out", "target/soak"));
        Files.createDirectories(out);
        Vertx vertx = Vertx.vertx();
        SoakUpstream upstream = SoakUpstream.start(vertx);
        int redisPort = freePort();
        int gatewayPort = freePort();
        int managementPort = freePort();
        Process redis = startRedis(redisPort);
        Path config = Files.createDirectories(work.resolve("config"));
        Files.writeString(config.resolve("soak.yaml"), SoakConfig.documents(upstream.port()));
        Files.writeString(config.resolve("edited.yaml"), SoakConfig.editedFile());
        Process gateway = startGateway(gatewayPort, managementPort, redisPort, out.resolve("gateway.log"));
        HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        awaitReady(admin, gatewayPort);
        note("gateway ready on port " + gatewayPort + " (pid " + gateway.pid() + "); traffic starts");
        t0 = System.nanoTime();

        SoakClients clients = new SoakClients(vertx, gatewayPort, ledger);
        List<SoakClients.Tenant> tenants = SoakClients.tenants();
        long durationNanos = TimeUnit.MINUTES.toNanos(minutes);
        long end = t0 + durationNanos;
        AtomicLong scheduled = new AtomicLong();
        long periodNanos = (long) (1e9 / rate);
        long[] next = {System.nanoTime()};
        // Open loop on a 1 ms timer: every request due by now is started, late or not.
        long timer = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] <= now && now < end) {
                long i = scheduled.getAndIncrement();
                clients.wellBehaved(tenants.get((int) (i % tenants.size())));
                if (i % 50 == 7) {
                    clients.badInput("sk-soak-t2", 1 << 20);
                }
                if (i % 200 == 13) {
                    clients.slowReader("sk-soak-t1", "steady", 20_000);
                }
                next[0] += periodNanos;
            }
        });
        ExecutorService slowloris = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Long>> lorises = new ArrayList<>();
        // The gateway closes a connection whose request head is incomplete after
        // steerguard.http.header-read-timeout (10 s by default); 0 = report the lifetimes only.
        long headerBoundMs = (long) arg("header-bound-s", 0) * 1000;
        long lorisGiveUpMs = headerBoundMs > 0 ? headerBoundMs * 4 : 120_000;
        for (int i = 0; i < 8; i++) {
            lorises.add(slowloris.submit(() -> SoakClients.slowloris(gatewayPort, 2000, lorisGiveUpMs)));
        }

        List<long[]> samples = new ArrayList<>(); // {elapsed s, heap bytes after GC, fds}
        ResourceSampler sampler = new ResourceSampler(gateway.pid());
        FaultSchedule faults = new FaultSchedule(durationNanos);
        while (System.nanoTime() < end) {
            long elapsed = System.nanoTime() - t0;
            FaultSchedule.Step step = faults.due(elapsed);
            if (step != null) {
                redis = inject(step, upstream, redis, redisPort, admin, gatewayPort, config, clients);
            }
            if (samples.isEmpty() || elapsed / 1_000_000_000 - samples.get(samples.size() - 1)[0] >= 15) {
                samples.add(new long[] {elapsed / 1_000_000_000, sampler.heapAfterGc(), sampler.fds()});
            }
            Thread.sleep(200);
        }
        vertx.cancelTimer(timer);
        Thread.sleep(5000); // let the last requests finish
        samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000, sampler.heapAfterGc(), sampler.fds()});
        List<Long> lorisMillis = new ArrayList<>();
        for (var f : lorises) {
            lorisMillis.add(f.get(lorisGiveUpMs + 30_000, TimeUnit.MILLISECONDS));
        }
        slowloris.shutdownNow();
        String blockState = get(admin, gatewayPort, "/admin/profiles");
        boolean blockHeld = blockState.matches("(?s).*\"name\"\\s*:\\s*\"blockme\".*?\"state\"\\s*:\\s*\"BLOCKED\".*");
        if (!blockHeld) {
            ledger.violation("block lost: /admin/profiles no longer shows blockme BLOCKED: " + blockState);
        }
        checkFlat(samples);
        LatencyHistogram latency = ledger.wellBehaved();
        long p99Ms = latency.percentile(99) / 1_000_000;
        if (p99Ms > arg("p99-bound-ms", 250)) {
            ledger.violation("well-behaved p99 " + p99Ms + " ms above the bound " + args.getOrDefault("p99-bound-ms", "250"));
        }
        for (long ms : lorisMillis) {
            if (headerBoundMs > 0 && (ms < 0 || ms > headerBoundMs)) {
                ledger.violation("a slowloris connection stayed open " + (ms < 0 ? "to the end" : ms + " ms")
                        + " (bound " + headerBoundMs + " ms)");
            }
        }
        String report = SoakReport.render(args, scheduled.get(), latency, ledger, samples, lorisMillis, timeline,
                upstream.requests(), upstream.rejected());
        Files.writeString(out.resolve("results.md"), report);
        System.out.println(report);
        clients.close();
        gateway.destroy();
        gateway.waitFor(10, TimeUnit.SECONDS);
        redis.destroyForcibly();
        upstream.close();
        vertx.close();
        return ledger.violationCount() == 0;
    }

    private Process inject(FaultSchedule.Step step, SoakUpstream upstream, Process redis, int redisPort,
                           HttpClient admin, int gatewayPort, Path config, SoakClients clients) throws Exception {
        note(step.what());
        switch (step.kind()) {
            case REDIS_KILL -> {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return redis;
            }
            case REDIS_RESTART -> {
                return startRedis(redisPort);
            }
            case UPSTREAM_FAULT -> {
                // Registered before it starts, so answers that arrive during the window are attributed.
                long start = System.nanoTime();
                ledger.fault(step.mode().name().toLowerCase(), start, start + step.lengthMillis() * 1_000_000L);
                upstream.mode(step.mode());
                Thread.sleep(step.lengthMillis());
                upstream.mode(SoakUpstream.Mode.OK);
            }
            case HALF_WRITTEN_CONFIG -> {
                // A writer that truncates and rewrites in place (no rename), caught between two
                // documents: the half file is valid YAML that lacks tenant t5.
                String full = SoakConfig.editedFile();
                Files.writeString(config.resolve("edited.yaml"), full.substring(0, full.indexOf("---")));
                Thread.sleep(700);
                Files.writeString(config.resolve("edited.yaml"), full);
            }
            case ADMIN_BLOCK -> {
                String answer = post(admin, gatewayPort, "/admin/profiles/blockme/block", "{\"reason\": \"soak\"}");
                clients.blocked("blockme", System.nanoTime());
                note("block answered: " + answer.replaceAll("\\s+", " "));
            }
        }
        return redis;
    }

    private void checkFlat(List<long[]> samples) {
        if (samples.size() < 4) {
            ledger.violation("too few resource samples (" + samples.size() + ") to judge growth: run longer");
            return;
        }
        int q = Math.max(1, samples.size() / 4);
        long heapEarly = samples.subList(1, 1 + q).stream().mapToLong(s -> s[1]).max().orElse(0);
        long heapLate = samples.subList(samples.size() - q, samples.size()).stream().mapToLong(s -> s[1]).min().orElse(0);
        long fdEarly = samples.subList(1, 1 + q).stream().mapToLong(s -> s[2]).max().orElse(0);
        long fdLate = samples.subList(samples.size() - q, samples.size()).stream().mapToLong(s -> s[2]).min().orElse(0);
        // Flat = the late minimum does not exceed the early maximum by more than noise: 25% + 8 MiB
        // of live heap (caches warm up), 32 descriptors (pooled connections come and go).
        if (heapLate > heapEarly * 1.25 + (8 << 20)) {
            ledger.violation("heap after GC grew from " + heapEarly / 1024 + " KiB to " + heapLate / 1024 + " KiB");
        }
        if (fdLate > fdEarly + 32) {
            ledger.violation("file descriptors grew from " + fdEarly + " to " + fdLate);
        }
    }

    private Process startRedis(int port) throws IOException {
        Path dir = Files.createDirectories(work.resolve("redis"));
        return new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
    }

    private Process startGateway(int port, int managementPort, int redisPort, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        for (String opt : args.getOrDefault("java-opts", "-Xmx512m").split("\\s+")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-jar", args.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("STEERGUARD_CONFIG_PATHS", work.resolve("config").toString());
        env.put("STEERGUARD_CONFIG_RELOAD_INTERVAL", "1s");
        env.put("STEERGUARD_STATE_BACKEND", "redis");
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        env.put("STEERGUARD_POLICY_DATA_DIR", work.resolve("data").toString());
        env.put("STEERGUARD_ADMIN_API_KEY_SHA256", ApiKeys.sha256Hex(SoakConfig.ADMIN_KEY));
        env.put("STEERGUARD_CLASSIFIER_TIERS", "lexical");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    private void awaitReady(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                        .header("Authorization", "Bearer sk-soak-t1").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the gateway did not become ready within 90 s; see its log");
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + SoakConfig.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(HttpClient http, int port, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + SoakConfig.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private void note(String what) {
        String line = String.format("%6.1f s  %s", (System.nanoTime() - t0) / 1e9, what);
        timeline.add(line);
        System.out.println(line);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
