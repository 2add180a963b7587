package io.steerguard.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Open-loop (constant arrival rate) HTTP load generator for the gateway benchmark.
 *
 * <p>Request {@code i} is due at {@code t0 + i / rate} whether or not earlier ones have been
 * answered, and its latency is measured from that due time, not from when it was actually sent:
 * a server that stalls makes every request scheduled during the stall look slow, as real users
 * would see it (no coordinated omission). Requests use a keep-alive HTTP/1.1 pool; when all
 * connections are busy the request waits in the pool and that wait counts too.
 *
 * <p>Recorded per request: time to the first body byte (for an SSE answer, the first event) and
 * time to the end of the body. A response counts as an error unless it is a 200 whose body
 * contains {@code --expect}. The first {@code --warmup} seconds are sent but not recorded.
 *
 * <p>Output is one line, {@code RESULT key=value ...}, latencies in milliseconds, for
 * {@code src/test/bench/gateway-bench.sh} to parse. Run:
 * {@code java -cp target/test-classes:target/quarkus-app/lib/main/* io.steerguard.bench.OpenLoopLoad
 * --url=http://127.0.0.1:8080/v1/chat/completions --body=req.json --rate=1000 --duration=20 --warmup=3
 * [--key=sk-...] [--connections=64] [--expect='[DONE]'] [--label=name]}
 */
public final class OpenLoopLoad {

    private final URI url;
    private final Buffer body;
    private final String key;
    private final String expect;
    private final double rate;
    private final long warmupRequests;
    private final long totalRequests;

    private final Vertx vertx;
    private final HttpClient client;
    private final Context loop;

    // touched only on the client's event loop
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LatencyHistogram firstByte = new LatencyHistogram();
    private final LatencyHistogram sendLag = new LatencyHistogram();
    private long ok;
    private long errors;
    private long finished;
    private long firstRecordedDue = Long.MAX_VALUE;
    private long lastRecordedEnd;
    private String firstError;
    private final CountDownLatch allFinished = new CountDownLatch(1);

    private OpenLoopLoad(Map<String, String> args) throws Exception {
        url = URI.create(required(args, "url"));
        body = Buffer.buffer(Files.readAllBytes(Path.of(required(args, "body"))));
        key = args.get("key");
        expect = args.getOrDefault("expect", "");
        rate = Double.parseDouble(required(args, "rate"));
        double warmup = Double.parseDouble(args.getOrDefault("warmup", "3"));
        double duration = Double.parseDouble(required(args, "duration"));
        if (!(rate > 0 && duration > 0 && warmup >= 0)) {
            throw new IllegalArgumentException("rate and duration must be > 0, warmup >= 0");
        }
        warmupRequests = Math.round(warmup * rate);
        totalRequests = warmupRequests + Math.round(duration * rate);
        int connections = Integer.parseInt(args.getOrDefault("connections", "64"));
        // one event loop: the generator must leave the 2 shared cores to the servers it measures
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setPipelining(false).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        loop = vertx.getOrCreateContext();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, got " + a);
            }
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        OpenLoopLoad load = new OpenLoopLoad(args);
        String label = args.getOrDefault("label", "run");
        try {
            load.run();
            System.out.println(load.result(label));
        } finally {
            load.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void run() throws InterruptedException {
        double periodNanos = 1e9 / rate;
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long next = 0;
        while (next < totalRequests) {
            long now = System.nanoTime();
            long due = t0 + (long) (next * periodNanos);
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            // everything already due goes to the event loop in one hop
            long from = next;
            while (next < totalRequests && t0 + (long) (next * periodNanos) <= now) {
                next++;
            }
            long to = next;
            loop.runOnContext(v -> {
                for (long i = from; i < to; i++) {
                    send(t0 + (long) (i * periodNanos), i >= warmupRequests);
                }
            });
        }
        long expectedEnd = t0 + (long) (totalRequests * periodNanos);
        long waitNanos = Math.max(0, expectedEnd - System.nanoTime()) + TimeUnit.SECONDS.toNanos(15);
        if (!allFinished.await(waitNanos, TimeUnit.NANOSECONDS)) {
            System.err.println("OpenLoopLoad: requests still unanswered 15 s after the last was due; counting them as errors");
        }
    }

    private void send(long due, boolean recorded) {
        long sentAt = System.nanoTime();
        if (recorded) {
            sendLag.record(sentAt - due);
            firstRecordedDue = Math.min(firstRecordedDue, due);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setIdleTimeout(10_000).putHeader("Content-Type", "application/json");
        if (key != null) {
            options.putHeader("Authorization", "Bearer " + key);
        }
        client.request(options).compose(req -> req.send(body)).onComplete(ar -> {
            if (ar.failed()) {
                done(due, recorded, -1, false, ar.cause().toString());
                return;
            }
            HttpClientResponse response = ar.result();
            Buffer received = Buffer.buffer(2048);
            long[] first = {-1};
            response.handler(chunk -> {
                if (first[0] < 0) {
                    first[0] = System.nanoTime() - due;
                }
                received.appendBuffer(chunk);
            });
            response.exceptionHandler(t -> done(due, recorded, -1, false, t.toString()));
            response.endHandler(v -> {
                boolean good = response.statusCode() == 200 && received.toString().contains(expect);
                done(due, recorded, first[0], good, good ? null
                        : "status " + response.statusCode() + ": " + abbreviate(received.toString()));
            });
        });
    }

    private void done(long due, boolean recorded, long firstByteNanos, boolean good, String error) {
        long end = System.nanoTime();
        if (recorded) {
            if (good) {
                ok++;
                latency.record(end - due);
                firstByte.record(firstByteNanos < 0 ? end - due : firstByteNanos);
                lastRecordedEnd = Math.max(lastRecordedEnd, end);
            } else {
                errors++;
                if (firstError == null) {
                    firstError = error;
                }
            }
        }
        if (++finished == totalRequests) {
            allFinished.countDown();
        }
    }

    private String result(String label) {
        // read the histograms on their own thread: the loop is idle now, but this keeps the rule simple
        String[] line = new String[1];
        CountDownLatch read = new CountDownLatch(1);
        loop.runOnContext(v -> {
            long recorded = totalRequests - warmupRequests;
            long lost = recorded - ok - errors;
            double seconds = (lastRecordedEnd - firstRecordedDue) / 1e9;
            line[0] = String.format(Locale.ROOT, "RESULT label=%s target_rps=%.0f achieved_rps=%.1f ok=%d errors=%d"
                            + " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f mean_ms=%.3f"
                            + " ttfb_p50_ms=%.3f ttfb_p99_ms=%.3f ttfb_p999_ms=%.3f lag_p99_ms=%.3f%s",
                    label, rate, seconds > 0 ? ok / seconds : 0, ok, errors + lost,
                    ms(latency.percentile(50)), ms(latency.percentile(99)), ms(latency.percentile(99.9)),
                    ms(latency.max()), latency.mean() / 1e6,
                    ms(firstByte.percentile(50)), ms(firstByte.percentile(99)), ms(firstByte.percentile(99.9)),
                    ms(sendLag.percentile(99)), firstError == null ? "" : " first_error=" + abbreviate(firstError));
            read.countDown();
        });
        try {
            read.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return line[0];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", "_");
        return flat.length() > 120 ? flat.substring(0, 120) : flat;
    }

    private static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return v;
    }
}
