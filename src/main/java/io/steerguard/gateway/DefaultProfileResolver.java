package io.steerguard.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.steerguard.config.ConfigProblem;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.RemoteProfiles;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.steering.Normalisation;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.ResidualNorms;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorFileException;
import io.steerguard.steering.VectorStore;
import io.steerguard.steering.VectorValidation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves profiles per runtime type: remote steerable runtimes get file references (the server
 * loads them); embedded runtimes get loaded, validated, normalised directions from a shared
 * {@link VectorStore}, so a vector file that breaks after it once loaded keeps serving its last
 * good vectors (reported as a warning) instead of taking the profile down.
 */
@ApplicationScoped
public class DefaultProfileResolver implements ProfileResolver {

    private final VectorStore store = new VectorStore();
    private final Map<ModelRuntime, Map<Integer, Double>> residualNorms = new ConcurrentHashMap<>();
    private final DocumentsConfig settings;

    public DefaultProfileResolver(DocumentsConfig settings) {
        this.settings = settings;
    }

    @Override
    public Optional<SteeringSpec> resolve(SteeringProfileDocument profile, RuntimeDocument document,
                                          ModelRuntime runtime, List<ConfigProblem> problems) {
        if (profile.routed()) {
            return routed(profile, problems);
        }
        if (document.spec() instanceof RuntimeDocument.Remote) {
            return Optional.of(RemoteProfiles.spec(profile));
        }
        EmbeddedRuntime embedded = (EmbeddedRuntime) runtime;
        ModelConfig model = embedded.modelConfig();
        VectorValidation validation = new VectorValidation(model.hiddenSize(), model.numLayers(),
                model.family().name().toLowerCase(java.util.Locale.ROOT), VectorValidation.HintPolicy.WARN);
        boolean needsNorms = profile.vectors().stream()
                .anyMatch(v -> v.normalization() == Normalisation.MEAN_RESIDUAL_NORM);
        Map<Integer, Double> norms = needsNorms
                ? residualNorms.computeIfAbsent(runtime, r -> ResidualNorms.measure(embedded, model.numLayers(),
                        Duration.ofMinutes(2)))
                : Map.of();
        ProfileResolution resolution = new SteeringResolver(store, settings.baseDir(), validation)
                .resolve(profile.vectors().stream().map(SteeringProfileDocument.VectorEntry::toSteering).toList(), norms);
        if (resolution instanceof ProfileResolution.Unavailable unavailable) {
            unavailable.errors().forEach(e -> problems.add(ConfigProblem.error(profile.location(), "spec.vectors",
                    "profile '" + profile.name() + "': " + e.getMessage())));
            return Optional.empty();
        }
        ProfileResolution.Ready ready = (ProfileResolution.Ready) resolution;
        ready.warnings().forEach(w -> problems.add(ConfigProblem.warning(profile.location(), "spec.vectors",
                "profile '" + profile.name() + "': " + w)));
        for (VectorFileException stale : ready.staleFiles()) {
            problems.add(ConfigProblem.warning(profile.location(), "spec.vectors", "profile '" + profile.name()
                    + "' keeps its last good vectors: " + stale.getMessage()));
        }
        return Optional.of(ready.spec());
    }

    /**
     * A profile whose server steers process-wide: its files are read here (the audit and the
     * profile's identity use them; the server was started with the same files) but never sent. The
     * spec marks the profile as steered; {@code GenerationHandler} sends its server plain requests.
     */
    private Optional<SteeringSpec> routed(SteeringProfileDocument profile, List<ConfigProblem> problems) {
        boolean readable = true;
        for (int i = 0; i < profile.vectors().size(); i++) {
            SteeringProfileDocument.VectorEntry v = profile.vectors().get(i);
            try {
                io.steerguard.steering.VectorFiles.read(settings.baseDir().resolve(v.file()));
            } catch (VectorFileException e) {
                readable = false;
                problems.add(ConfigProblem.error(v.location(), "spec.vectors[" + i + "].file", "profile '"
                        + profile.name() + "' (served by '" + profile.servedBy() + "'): " + e.getMessage()));
            }
        }
        return readable ? Optional.of(RemoteProfiles.spec(profile)) : Optional.empty();
    }

    /** Vector files the embedded and routed profiles read, so the watcher notices when one changes. */
    public static List<java.nio.file.Path> vectorFiles(io.steerguard.config.ConfigSet config, java.nio.file.Path baseDir) {
        return config.profiles().values().stream()
                .filter(p -> p.routed() || (config.runtimes().get(p.runtime()) != null
                        && config.runtimes().get(p.runtime()).spec() instanceof RuntimeDocument.Embedded))
                .flatMap(p -> p.vectors().stream()).map(v -> baseDir.resolve(v.file())).distinct().toList();
    }
}
