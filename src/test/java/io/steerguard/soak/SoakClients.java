package io.steerguard.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The soak run's traffic sources, each a kind of client the gateway meets in production:
 * well-behaved tenants (streaming and not, one of them on a mirrored profile, one on the profile
 * the run blocks), readers that stop reading, slowloris connections that never finish their
 * headers, and bad requests (oversized, malformed, a wrong key announcing a body it never sends).
 * Open loop: requests are started on schedule whether or not earlier ones finished.
 */
final class SoakClients {

    /** A well-behaved tenant: its key, its profile, and whether it streams. */
    record Tenant(String name, String key, String profile, boolean stream) {
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final SoakLedger ledger;
    private final AtomicLong sequence = new AtomicLong();
    /** nanoTime after which the blocked profile must never be served steered; MAX_VALUE until the block. */
    private volatile long blockedSince = Long.MAX_VALUE;
    private volatile String blockedProfile = "";

    SoakClients(Vertx vertx, int port, SoakLedger ledger) {
        this.vertx = vertx;
        this.port = port;
        this.ledger = ledger;
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true).setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
    }

    /** From now on (plus the one second the guarantee allows), {@code profile} must not be served steered. */
    void blocked(String profile, long since) {
        blockedProfile = profile;
        blockedSince = since + 1_000_000_000L;
    }

    /** One request of a well-behaved tenant; 5xx are checked against the injected faults. */
    void wellBehaved(Tenant t) {
        long start = System.nanoTime();
        String body = chat("soak", "Tell me about request " + sequence.incrementAndGet(), 8, t.stream(), t.profile());
        send(t.key(), body).onComplete(ar -> {
            long end = System.nanoTime();
            if (ar.failed()) {
                ledger.count(t.name(), "connection failed");
                ledger.violation("connection failure for " + t.name() + ": " + ar.cause());
                return;
            }
            Answer a = ar.result();
            if (a.status >= 500) {
                ledger.serverError(t.name(), a.status, start, end, a.body);
            } else if (a.status == 403 && t.profile().equals(blockedProfile) && start > blockedSince - 1_000_000_000L
                    && a.body.contains("steering_profile_blocked")) {
                ledger.count(t.name(), "403 steering_profile_blocked");
            } else if (a.status != 200) {
                ledger.count(t.name(), Integer.toString(a.status));
                ledger.violation(t.name() + " got " + a.status + ": " + a.body);
            } else {
                ledger.count(t.name(), "200 " + a.decision);
                ledger.wellBehavedLatency(start, end);
                if (t.profile().equals(blockedProfile) && start > blockedSince && "steered".equals(a.decision)) {
                    ledger.violation("block lost: " + t.profile() + " served steered " + (start - blockedSince) / 1_000_000
                            + " ms after the block took effect");
                }
            }
        });
    }

    /** A streaming reader that reads the headers and then nothing, for {@code pauseMillis}. */
    void slowReader(String key, String profile, long pauseMillis) {
        String body = chat("soak", "SOAK-LONG answer please", 4000, true, profile);
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
                .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(body))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ledger.count("slow-reader", "connection failed");
                        return;
                    }
                    HttpClientResponse r = ar.result();
                    r.pause();
                    long[] bytes = {0};
                    r.handler(b -> bytes[0] += b.length());
                    r.exceptionHandler(e -> ledger.count("slow-reader", "cut off by the gateway"));
                    r.endHandler(v -> ledger.count("slow-reader", "read to the end"));
                    vertx.setTimer(pauseMillis, id -> r.resume());
                });
    }

    /** Oversized, malformed and wrong-key-without-body requests: each must get its 4xx, promptly. */
    void badInput(String key, int maxBodyBytes) {
        long start = System.nanoTime();
        String big = "{\"model\":\"soak\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(maxBodyBytes + 16) + "\"}]}";
        expect("oversized", key, big, 413, start);
        expect("malformed", key, "{\"model\": \"soak\", \"messages\": [", 400, start);
        expect("wrong key", "sk-not-a-key", chat("soak", "hi", 4, false, null), 401, start);
        vertx.executeBlocking(() -> announcedBodyNeverSent(), false).onComplete(ar -> {
            String outcome = ar.succeeded() ? ar.result() : "failed: " + ar.cause();
            ledger.count("wrong key, body announced but never sent", outcome);
            if (!outcome.startsWith("401 within")) {
                ledger.violation("wrong key with Content-Length and no body: " + outcome);
            }
        });
    }

    /** A raw socket sends a wrong key and {@code Content-Length: 1000000}, then waits for the answer. */
    private String announcedBodyNeverSent() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: soak\r\nAuthorization: Bearer "
                    + "sk-not-a-key\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int n;
            try {
                n = s.getInputStream().readNBytes(head, 0, head.length);
            } catch (java.net.SocketTimeoutException e) {
                return "no answer within 2 s";
            }
            String status = new String(head, 0, n, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 401") ? "401 within 2 s" : "answered '" + status.trim() + "'";
        }
    }

    private void expect(String what, String key, String body, int status, long start) {
        send(key, body).onComplete(ar -> {
            if (ar.failed()) {
                // closing the connection on an oversized body is acceptable only after the 413 was sent
                ledger.count("bad input: " + what, "connection closed");
                return;
            }
            int got = ar.result().status;
            ledger.count("bad input: " + what, Integer.toString(got));
            if (got >= 500) {
                ledger.serverError("bad input: " + what, got, start, System.nanoTime(), ar.result().body);
            } else if (got != status) {
                ledger.violation(what + " got " + got + " instead of " + status);
            }
        });
    }

    /**
     * Opens a connection that sends one header line every {@code lineEveryMillis} and never ends
     * its headers; returns how long the gateway kept it open (or -1 if it was still open at {@code giveUpMillis}).
     */
    static long slowloris(int port, long lineEveryMillis, long giveUpMillis) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) lineEveryMillis);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: soak\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; (System.nanoTime() - t0) / 1_000_000 < giveUpMillis; i++) {
                try {
                    if (in.read() == -1) {
                        return (System.nanoTime() - t0) / 1_000_000;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open: send another header line
                }
                out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return -1;
        } catch (IOException e) {
            return (System.nanoTime() - t0) / 1_000_000; // reset by the gateway
        }
    }

    private record Answer(int status, String decision, String body) {
    }

    private io.vertx.core.Future<Answer> send(String key, String body) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
                        .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(body))
                .compose(r -> r.body().map(b -> new Answer(r.statusCode(),
                        String.valueOf(r.getHeader("X-SteerGuard-Decision")), abbreviate(b))));
    }

    private static String abbreviate(Buffer b) {
        String s = b.toString(StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) : s;
    }

    static String chat(String model, String text, int maxTokens, boolean stream, String profile) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + (profile == null ? "" : ",\"steering\":{\"profile\":\"" + profile + "\"}")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    static List<Tenant> tenants() {
        return List.of(new Tenant("t1-stream", "sk-soak-t1", "steady", true),
                new Tenant("t2-json", "sk-soak-t2", "steady", false),
                new Tenant("t3-mirrored", "sk-soak-t3", "mirrored", true),
                new Tenant("t4-blocked-profile", "sk-soak-t4", "blockme", true),
                new Tenant("t5-edited-file", "sk-soak-t5", "steady", false));
    }

    void close() {
        client.close();
    }
}
