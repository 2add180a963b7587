package io.steerguard.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Connection hygiene of the client port that Quarkus has no key for ({@code steerguard.http.*});
 * the idle timeout, the connection limit and the header size stay Quarkus keys
 * ({@code quarkus.http.idle-timeout}, {@code quarkus.http.limits.*}).
 */
@ConfigMapping(prefix = "steerguard.http")
public interface HttpHygieneConfig {

    /**
     * How long a client may take to send a request's head (request line and headers): from the
     * connection's opening for its first request, from the first byte of each later one on a
     * keep-alive connection. A client still sending its head then (a slowloris trickling header
     * bytes, or a connection that sends nothing) is disconnected. Waiting between keep-alive
     * requests is not counted (the idle timeout bounds it), nor is a body. {@code 0s} turns it off.
     */
    @WithDefault("10s")
    Duration headerReadTimeout();

    /**
     * Whether {@code quarkus.http.limits.max-connections} also counts connections that have not
     * completed a first request. Quarkus counts a cleartext connection only once its first
     * request head is parsed, so connections that never finish one escape the limit; with this on
     * the gateway closes every connection accepted beyond the limit at once.
     */
    @WithDefault("true")
    boolean limitAtAccept();
}
