package io.steerguard.runtime.remote;

import io.steerguard.runtime.remote.RemoteRuntimeOptions.Flavor;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteRuntimeOptionsTest {

    @Test
    void defaults_andDerivedAddressParts() {
        RemoteRuntimeOptions o = RemoteRuntimeOptions.of("chat", Flavor.EASYSTEER, "http://10.0.0.5:8000/v1/", "qwen");
        assertThat(o.port()).isEqualTo(8000);
        assertThat(o.tls()).isFalse();
        assertThat(o.basePath()).isEqualTo("/v1");
        assertThat(o.connectTimeout()).isEqualTo(RemoteRuntimeOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(o.maxInFlight()).isEqualTo(RemoteRuntimeOptions.DEFAULT_MAX_IN_FLIGHT);
        assertThat(o.apiKey()).isNull();

        RemoteRuntimeOptions tls = RemoteRuntimeOptions.of("x", Flavor.OPENAI, "https://api.example.com", "m");
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.tls()).isTrue();
        assertThat(tls.basePath()).isEmpty();
        assertThat(RemoteRuntimeOptions.of("x", Flavor.OPENAI, "HTTP://h/v1", "m").port()).isEqualTo(80);
    }

    @Test
    void invalidOptions_areRejected_withMessagesNamingTheArgument() {
        assertThatThrownBy(() -> RemoteRuntimeOptions.of(" ", Flavor.OPENAI, "http://h/v1", "m"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "ftp://h/v1", "m"))
                .hasMessageContaining("baseUrl must be an http or https URL");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http:///v1", "m"))
                .hasMessageContaining("baseUrl must name a host");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://h/v1?x=1", "m"))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://u:p@h/v1", "m"))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://h v1", "m"))
                .hasMessageContaining("baseUrl is not a valid URL");
        assertThatThrownBy(() -> RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://h/v1", ""))
                .hasMessageContaining("upstreamModel");
        RemoteRuntimeOptions ok = RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://h/v1", "m");
        assertThatThrownBy(() -> ok.withApiKey("a\nb")).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> ok.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout must be positive");
        assertThatThrownBy(() -> ok.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("idleReadTimeout");
        assertThatThrownBy(() -> ok.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofNanos(10)))
                .hasMessageContaining("requestTimeout must be at least 1 ms");
        assertThatThrownBy(() -> ok.withLimits(0, 4)).hasMessageContaining("maxPooledConnections");
        assertThatThrownBy(() -> ok.withLimits(4, 0)).hasMessageContaining("maxInFlight");
    }

    @Test
    void toString_neverShowsTheApiKey() {
        RemoteRuntimeOptions o = RemoteRuntimeOptions.of("n", Flavor.OPENAI, "http://h/v1", "m").withApiKey("sk-secret");
        assertThat(o.toString()).doesNotContain("sk-secret").contains("apiKey=***");
    }

    @Test
    void flavors_parseFromTheirConfigNames() {
        assertThat(Flavor.fromConfigName("openai")).isEqualTo(Flavor.OPENAI);
        assertThat(Flavor.fromConfigName("EasySteer")).isEqualTo(Flavor.EASYSTEER);
        assertThatThrownBy(() -> Flavor.fromConfigName("tgi")).hasMessageContaining("expected openai or easysteer");
    }
}
