package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonFactory;
import io.smallrye.mutiny.Multi;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.RuntimeFault;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ModelRuntime} that forwards generations to a remote OpenAI-compatible server
 * ({@link RemoteRuntimeOptions.Flavor#OPENAI}) or an EasySteer vLLM
 * ({@link RemoteRuntimeOptions.Flavor#EASYSTEER}) over the Vert.x HTTP client.
 *
 * <p>Every generation is a streaming request ({@code "stream": true} with usage included); the
 * event stream is parsed as the subscriber asks for events, so a slow client pauses the upstream
 * response instead of filling memory, and cancelling the subscription resets the upstream request
 * (which closes the HTTP/1.1 connection, and vLLM aborts the generation). One {@link HttpClient}
 * with a keep-alive pool per runtime; at most {@code maxInFlight} generations at once, the next
 * fails at once with {@link RuntimeFault.Kind#OVERLOADED}. All I/O callbacks run on a Vert.x event
 * loop and never block.
 *
 * <p>Created by the gateway with its managed {@link Vertx}: {@code new RemoteRuntime(vertx, options)}.
 */
public final class RemoteRuntime implements ModelRuntime {

    /** Shared, thread-safe; parsers and generators it creates recycle their buffers. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final int KEEP_ALIVE_SECONDS = 2;
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    private final Vertx vertx;
    private final RemoteRuntimeOptions options;
    private final HttpClient client;
    private final String authorization;
    private final String basePath;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public RemoteRuntime(Vertx vertx, RemoteRuntimeOptions options) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.options = Objects.requireNonNull(options, "options");
        this.authorization = options.apiKey() == null ? null : "Bearer " + options.apiKey();
        this.basePath = options.basePath();
        HttpClientOptions http = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                // token deltas are tiny; a decompressor would only add latency and buffering
                .setTryUseCompression(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                // vLLM (uvicorn) and llama.cpp drop idle keep-alive connections after 5 s; evicting ours
                // after ~2 s (plus the cleaner period) means we never send on a connection they just closed
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setSsl(options.tls())
                .setDefaultHost(options.baseUrl().getHost())
                .setDefaultPort(options.port())
                .setName("steerguard-remote-" + options.name());
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(options.maxPooledConnections())
                // never more waiters than requests we admit: the queue is bounded by construction
                .setMaxWaitQueueSize(options.maxInFlight())
                .setCleanerPeriod(500);
        this.client = vertx.createHttpClient(http, pool);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public RuntimeCapabilities capabilities() {
        return options.flavor() == RemoteRuntimeOptions.Flavor.EASYSTEER
                ? RuntimeCapabilities.remoteSteerable()
                : RuntimeCapabilities.remotePlain();
    }

    /** The options this runtime was built with. */
    public RemoteRuntimeOptions options() {
        return options;
    }

    /** Generations currently holding an in-flight slot. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public Multi<GenerationEvent> generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        Flow.Publisher<GenerationEvent> publisher = subscriber -> subscribe(request, subscriber);
        return Multi.createFrom().publisher(publisher);
    }

    private void subscribe(GenerationRequest request, Flow.Subscriber<? super GenerationEvent> subscriber) {
        if (closed.get()) {
            failEarly(subscriber, new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "runtime '" + name() + "' is closed"));
            return;
        }
        Optional<RuntimeFault> rejection = UpstreamRequests.reject(options, request);
        if (rejection.isPresent()) {
            failEarly(subscriber, rejection.get());
            return;
        }
        Buffer body;
        try {
            body = UpstreamRequests.body(JSON, options, request);
        } catch (Exception e) {
            failEarly(subscriber, new RuntimeFault(RuntimeFault.Kind.INTERNAL,
                    "runtime '" + name() + "': cannot encode the upstream request", e));
            return;
        }
        if (!tryAcquire()) {
            failEarly(subscriber, new RuntimeFault(RuntimeFault.Kind.OVERLOADED, "runtime '" + name()
                    + "' already has " + options.maxInFlight() + " generations in flight"));
            return;
        }
        String path = basePath + UpstreamRequests.endpoint(request.prompt());
        new UpstreamExchange(this, eventLoopContext(), subscriber, path, body, request.sampling().n()).start();
    }

    /**
     * The caller's context when it is an event loop (a gateway route: events then come back on the
     * loop that writes the client response), otherwise a fresh event-loop context.
     */
    private Context eventLoopContext() {
        Context current = vertx.getOrCreateContext();
        if (current.isEventLoopContext()) {
            return current;
        }
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    private static void failEarly(Flow.Subscriber<? super GenerationEvent> subscriber, RuntimeFault fault) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(fault);
    }

    private boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= options.maxInFlight()) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    RequestOptions requestOptions(String path) {
        RequestOptions ro = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(options.baseUrl().getHost())
                .setPort(options.port())
                .setSsl(options.tls())
                .setURI(path)
                // bounds the wait for a pooled connection (Vert.x fails it with a TimeoutException)
                .setConnectTimeout(options.poolAcquireTimeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .putHeader(HttpHeaders.ACCEPT, EVENT_STREAM);
        if (authorization != null) {
            ro.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        return ro;
    }

    Vertx vertx() {
        return vertx;
    }

    HttpClient client() {
        return client;
    }

    JsonFactory json() {
        return JSON;
    }

    boolean closed() {
        return closed.get();
    }

    /** Closes the connection pool; generations still running fail. Idempotent, non-blocking. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }
}
