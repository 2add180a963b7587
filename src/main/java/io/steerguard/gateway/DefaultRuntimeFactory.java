package io.steerguard.gateway;

import java.nio.file.Path;

import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.runtime.embedded.ToolCallFormat;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.remote.RemoteRuntime;
import io.steerguard.runtime.remote.RemoteRuntimeOptions;
import io.steerguard.shadow.ActivationProbe;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The adapter between {@code Runtime} documents and the framework-free runtime library: remote
 * runtimes share Quarkus' managed Vert.x; embedded runtimes own their inference thread.
 */
@ApplicationScoped
public class DefaultRuntimeFactory implements RuntimeFactory {

    private final Vertx vertx;
    private final DocumentsConfig settings;
    private final ClassifierConfig classifiers;
    private final ActivationProbe activation;

    public DefaultRuntimeFactory(Vertx vertx, DocumentsConfig settings, ClassifierConfig classifiers,
                                 ActivationProbe activation) {
        this.vertx = vertx;
        this.settings = settings;
        this.classifiers = classifiers;
        this.activation = activation;
    }

    @Override
    public ModelRuntime create(RuntimeDocument document) {
        if (document.spec() instanceof RuntimeDocument.Remote remote) {
            return new RemoteRuntime(vertx, remoteOptions(document.name(), remote));
        }
        RuntimeDocument.Embedded spec = (RuntimeDocument.Embedded) document.spec();
        Path modelDir = settings.baseDir().resolve(spec.model());
        EmbeddedRuntime runtime = EmbeddedRuntime.load(new EmbeddedRuntimeOptions(document.name(), modelDir,
                spec.device(), spec.maxBatch(), spec.maxContext(), spec.queueCapacity(), spec.sampling(),
                ToolCallFormat.fromConfig(spec.toolCallParser()).orElseThrow()));
        if (classifiers.activation().enabled()) {
            try {
                // a broken refusal-direction file fails the runtime loudly rather than silently dropping the tier
                ActivationSetups.load(runtime, modelDir, classifiers.activation())
                        .ifPresent(setup -> activation.register(runtime, setup));
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        }
        return runtime;
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
