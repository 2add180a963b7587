package io.steerguard.gateway;

import io.steerguard.config.RuntimeDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.remote.RemoteRuntime;
import io.steerguard.runtime.remote.RemoteRuntimeOptions;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The adapter between {@code Runtime} documents and the framework-free runtime library: remote
 * runtimes share Quarkus' managed Vert.x; embedded runtimes own their inference thread.
 */
@ApplicationScoped
public class DefaultRuntimeFactory implements RuntimeFactory {

    private final Vertx vertx;

    public DefaultRuntimeFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public ModelRuntime create(RuntimeDocument document) {
        if (document.spec() instanceof RuntimeDocument.Remote remote) {
            return new RemoteRuntime(vertx, remoteOptions(document.name(), remote));
        }
        throw new IllegalArgumentException("WIP embedded");
    }

    static RemoteRuntimeOptions remoteOptions(String name, RuntimeDocument.Remote spec) {
        String apiKey = null;
        if (spec.apiKeyEnv() != null) {
            apiKey = System.getenv(spec.apiKeyEnv());
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("environment variable " + spec.apiKeyEnv()
                        + " (spec.apiKeyEnv) is not set");
            }
        }
        RemoteRuntimeOptions.Flavor flavor = spec.flavor() == RuntimeDocument.Flavor.OPENAI
                ? RemoteRuntimeOptions.Flavor.OPENAI : RemoteRuntimeOptions.Flavor.EASYSTEER;
        return new RemoteRuntimeOptions(name, flavor, spec.baseUrl(), spec.upstreamModel(), apiKey,
                spec.connectTimeout(), spec.readTimeout(), spec.requestTimeout(), spec.maxConnections(),
                spec.maxInFlight());
    }
}
