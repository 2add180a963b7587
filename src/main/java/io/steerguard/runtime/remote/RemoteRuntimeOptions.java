package io.steerguard.runtime.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything one remote runtime needs: where the upstream is, which model to ask it for, and the
 * limits that keep a slow or dead upstream from hanging or flooding the gateway.
 *
 * @param name                   the runtime's configured name (the OpenAI {@code model} clients ask for)
 * @param flavor                 the upstream protocol
 * @param baseUrl                the upstream's OpenAI base URL including the version path, e.g.
 *                               {@code http://127.0.0.1:8000/v1}; {@code http} or {@code https}
 * @param upstreamModel          the model name sent upstream in the body's {@code model} field
 * @param apiKey                 sent as {@code Authorization: Bearer <apiKey>}; {@code null} for none
 * @param connectTimeout         TCP (and TLS) connect timeout
 * @param idleReadTimeout        longest silence from the upstream while we want data (no response
 *                               headers, or no body bytes); time spent paused because the client
 *                               reads slowly does not count. A whole-answer request
 *                               ({@code Delivery.WHOLE}, sent with {@code "stream": false}) gets its
 *                               headers only when the upstream has finished, so for it the wait
 *                               for the headers is bounded by {@code requestTimeout} alone
 * @param requestTimeout         deadline for the whole exchange, from subscription to the last event
 * @param maxPooledConnections   keep-alive pool size; one streaming request holds one connection
 * @param maxInFlight            concurrent generations; the next one fails at once with
 *                               {@code RuntimeFault.Kind.OVERLOADED} instead of queueing
 * @param poolAcquireTimeout     longest wait for a pooled connection when all are busy; then the
 *                               generation fails with {@code RuntimeFault.Kind.OVERLOADED} (503
 *                               {@code overloaded}) instead of waiting out the request timeout
 */
public record RemoteRuntimeOptions(String name, Flavor flavor, URI baseUrl, String upstreamModel, String apiKey,
                                   Duration connectTimeout, Duration idleReadTimeout, Duration requestTimeout,
                                   int maxPooledConnections, int maxInFlight, Duration poolAcquireTimeout) {

    /** The protocol the upstream speaks. */
    public enum Flavor {
        /** Any OpenAI-compatible server (vLLM, llama.cpp, TGI): no steering. */
        OPENAI("openai"),
        /** vLLM with EasySteer: per-request {@code steering} object; unsteered requests omit it (EasySteer rejects {@code false}). */
        EASYSTEER("easysteer");

        private final String configName;

        Flavor(String configName) {
            this.configName = configName;
        }

        /** The spelling used in configuration documents ({@code type: openai | easysteer}). */
        public String configName() {
            return configName;
        }

        public static Flavor fromConfigName(String name) {
            for (Flavor f : values()) {
                if (f.configName.equals(name.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown remote runtime type '" + name + "', expected openai or easysteer");
        }
    }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final Duration DEFAULT_POOL_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

    /** Options with the default pool-acquire wait. */
    public RemoteRuntimeOptions(String name, Flavor flavor, URI baseUrl, String upstreamModel, String apiKey,
                                Duration connectTimeout, Duration idleReadTimeout, Duration requestTimeout,
                                int maxPooledConnections, int maxInFlight) {
        this(name, flavor, baseUrl, upstreamModel, apiKey, connectTimeout, idleReadTimeout, requestTimeout,
                maxPooledConnections, maxInFlight, DEFAULT_POOL_ACQUIRE_TIMEOUT);
    }

    public RemoteRuntimeOptions {
        require(name != null && !name.isBlank(), "name must not be blank");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        require(scheme.equals("http") || scheme.equals("https"),
                "baseUrl must be an http or https URL, got '" + baseUrl + "'");
        require(baseUrl.getHost() != null && !baseUrl.getHost().isEmpty(), "baseUrl must name a host: '" + baseUrl + "'");
        require(baseUrl.getRawQuery() == null && baseUrl.getRawFragment() == null,
                "baseUrl must not carry a query or fragment: '" + baseUrl + "'");
        require(baseUrl.getRawUserInfo() == null, "baseUrl must not carry credentials; use apiKey");
        require(upstreamModel != null && !upstreamModel.isBlank(), "upstreamModel must not be blank");
        require(apiKey == null || (!apiKey.isBlank() && apiKey.chars().noneMatch(c -> c < 0x20 || c == 0x7f)),
                "apiKey must be null or a non-blank string without control characters");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(idleReadTimeout, "idleReadTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        require(maxPooledConnections >= 1, "maxPooledConnections must be at least 1");
        require(maxInFlight >= 1, "maxInFlight must be at least 1");
        requirePositive(poolAcquireTimeout, "poolAcquireTimeout");
    }

    /**
     * Options with the defaults: connect 5 s, idle read 60 s, whole request 10 min, 64 in flight over
     * 64 pooled connections, no API key.
     */
    public static RemoteRuntimeOptions of(String name, Flavor flavor, String baseUrl, String upstreamModel) {
        return new RemoteRuntimeOptions(name, flavor, parseUrl(baseUrl), upstreamModel, null,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_READ_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT);
    }

    public RemoteRuntimeOptions withApiKey(String newApiKey) {
        return new RemoteRuntimeOptions(name, flavor, baseUrl, upstreamModel, newApiKey, connectTimeout,
                idleReadTimeout, requestTimeout, maxPooledConnections, maxInFlight, poolAcquireTimeout);
    }

    public RemoteRuntimeOptions withTimeouts(Duration connect, Duration idleRead, Duration request) {
        return new RemoteRuntimeOptions(name, flavor, baseUrl, upstreamModel, apiKey, connect, idleRead, request,
                maxPooledConnections, maxInFlight, poolAcquireTimeout);
    }

    public RemoteRuntimeOptions withLimits(int pooledConnections, int inFlight) {
        return new RemoteRuntimeOptions(name, flavor, baseUrl, upstreamModel, apiKey, connectTimeout,
                idleReadTimeout, requestTimeout, pooledConnections, inFlight, poolAcquireTimeout);
    }

    public RemoteRuntimeOptions withPoolAcquireTimeout(Duration wait) {
        return new RemoteRuntimeOptions(name, flavor, baseUrl, upstreamModel, apiKey, connectTimeout,
                idleReadTimeout, requestTimeout, maxPooledConnections, maxInFlight, wait);
    }

    /** Whether the upstream is reached over TLS. */
    public boolean tls() {
        return baseUrl.getScheme().equalsIgnoreCase("https");
    }

    /** The upstream port, defaulting to 80 / 443. */
    public int port() {
        return baseUrl.getPort() >= 0 ? baseUrl.getPort() : tls() ? 443 : 80;
    }

    /** The base path without a trailing slash, e.g. {@code /v1}; empty for the root. */
    public String basePath() {
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    /** Parses a base URL, naming the argument in the error. */
    public static URI parseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        try {
            return new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: '" + baseUrl + "': " + e.getReason(), e);
        }
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        require(!d.isNegative() && !d.isZero(), what + " must be positive, got " + d);
        require(d.toMillis() >= 1, what + " must be at least 1 ms, got " + d);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        // Never print the key.
        return "RemoteRuntimeOptions[name=" + name + ", flavor=" + flavor.configName() + ", baseUrl=" + baseUrl
                + ", upstreamModel=" + upstreamModel + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", connectTimeout=" + connectTimeout + ", idleReadTimeout=" + idleReadTimeout
                + ", requestTimeout=" + requestTimeout + ", maxPooledConnections=" + maxPooledConnections
                + ", maxInFlight=" + maxInFlight + ", poolAcquireTimeout=" + poolAcquireTimeout + "]";
    }
}
