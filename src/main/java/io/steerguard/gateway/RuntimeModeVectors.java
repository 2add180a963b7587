package io.steerguard.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.steerguard.config.ServingModeConfig;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.steering.easysteer.EasySteerConflicts;
import io.steerguard.steering.easysteer.EasySteerSpec;
import io.steerguard.steering.ContentVectorCache;
import io.steerguard.steering.VectorFileException;
import io.steerguard.steering.VectorValidation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runtime mode's vector loading: a request's EasySteer vectors name files relative to
 * {@code steerguard.runtime.vectors-dir} (a path that leaves it is refused) or carry their
 * directions inline; this loads them through a {@link ContentVectorCache} (keyed by content, bounded
 * in bytes by {@code steerguard.runtime.vector-cache-bytes}), validates them against the serving
 * model's hidden size and layer count, takes the requested layers (all of the file's when none are
 * named), bounds the total number of layers, and resolves EasySteer's {@code conflict} policy into
 * the runtime's stacking entries. Directions are used as stored (EasySteer's {@code direct} adds
 * {@code scale * v} with {@code v} as in the file). Blocking file I/O: call off the event loop.
 */
@ApplicationScoped
public class RuntimeModeVectors {

    private static final Logger LOG = Logger.getLogger(RuntimeModeVectors.class);

    /** The outcome for one request's steering. */
    public sealed interface Result {
        /** Every vector loaded; the spec carries directions. */
        record Loaded(SteeringSpec spec) implements Result {
        }

        /** A client error: a path outside the folder, a missing or invalid file, a bound exceeded. */
        record Rejected(String message, String param) implements Result {
        }
    }

    private final ContentVectorCache cache;
    private final Optional<Path> root;
    private final int maxLayers;

    @jakarta.inject.Inject
    public RuntimeModeVectors(ServingModeConfig config) {
        this(config.runtime().vectorsDir(), config.runtime().vectorCacheBytes().asLongValue(),
                config.runtime().maxLayers());
    }

    RuntimeModeVectors(Optional<Path> vectorsDir, long cacheBytes, int maxLayers) {
        this.root = vectorsDir.map(p -> p.toAbsolutePath().normalize());
        this.cache = new ContentVectorCache(cacheBytes);
        this.maxLayers = maxLayers;
    }

    /** The parsed-vector cache (for tests and metrics). */
    public ContentVectorCache cache() {
        return cache;
    }

    /**
     * Whether runtime mode can serve {@code runtime}: only a model this process runs can take the
     * vectors a request carries (a remote server loads its own files and would not see them).
     */
    public boolean accepts(ModelRuntime runtime) {
        return runtime instanceof EmbeddedRuntime;
    }

    /**
     * Loads the vectors of {@code spec} for {@code runtime}.
     *
     * @throws IllegalArgumentException when {@code runtime} is not one this class {@link #accepts}
     */
    public Result load(EasySteerSpec spec, ModelRuntime runtime) {
        if (!(runtime instanceof EmbeddedRuntime embedded)) {
            throw new IllegalArgumentException("runtime mode serves only in-process models, not " + runtime.name());
        }
        if (spec.isNone()) {
            return new Result.Loaded(SteeringSpec.none());
        }
        ModelConfig model = embedded.modelConfig();
        VectorValidation validation = new VectorValidation(model.hiddenSize(), model.numLayers(),
                model.family().name().toLowerCase(Locale.ROOT), VectorValidation.HintPolicy.WARN);
        List<SteeringSpec.Entry> entries = new ArrayList<>();
        int layerCount = 0;
        for (int i = 0; i < spec.vectors().size(); i++) {
            EasySteerSpec.Vector v = spec.vectors().get(i);
            String at = "steering.vectors[" + i + "]";
            ContentVectorCache.Entry loaded;
            try {
                if (v.isInline()) {
                    loaded = cache.inline(v.inline(), at + ".data", validation);
                } else {
                    if (root.isEmpty()) {
                        return new Result.Rejected("This runtime has no vectors folder (steerguard.runtime.vectors-dir),"
                                + " so it serves only unsteered requests and inline 'data' vectors.", at + ".source");
                    }
                    Optional<Path> file = inside(v.source());
                    if (file.isEmpty()) {
                        return new Result.Rejected("'" + at + ".source' must name a file inside this runtime's vectors"
                                + " folder; '" + v.source() + "' leaves it.", at + ".source");
                    }
                    loaded = cache.file(file.get(), relative(file.get().toString()), validation);
                }
            } catch (VectorFileException e) {
                return new Result.Rejected("Steering vector " + relative(e.file()) + " cannot be used: " + e.getMessage(),
                        "steering.vectors");
            }
            loaded.warnings().forEach(w -> LOG.debugf("steering vector warning: %s", w.message()));
            List<Integer> layers = v.layers().orElse(loaded.set().layers());
            for (int layer : layers) {
                if (!loaded.set().directions().containsKey(layer)) {
                    return new Result.Rejected("'" + at + ".layers' names layer " + layer + ", but "
                            + (v.isInline() ? "the payload" : v.source()) + " holds layers " + loaded.set().layers() + ".",
                            at + ".layers");
                }
            }
            layerCount += layers.size();
            if (layerCount > maxLayers) {
                return new Result.Rejected("'" + at + ".layers': the request steers " + layerCount + " layers in all;"
                        + " this runtime accepts at most " + maxLayers + ".", at + ".layers");
            }
            Map<Integer, float[]> directions = new HashMap<>();
            layers.forEach(l -> directions.put(l, loaded.set().directions().get(l)));
            entries.add(new SteeringSpec.Entry(v.isInline() ? "inline:" + loaded.sha256() : v.source(), layers,
                    directions, v.scale(), v.operator(), 0, v.positions(), false));
        }
        EasySteerConflicts.Result resolved = EasySteerConflicts.resolve(entries, spec.conflict());
        if (resolved instanceof EasySteerConflicts.Result.Rejected rejected) {
            return new Result.Rejected(rejected.message(), rejected.param());
        }
        return new Result.Loaded(((EasySteerConflicts.Result.Resolved) resolved).spec());
    }

    /**
     * {@code source} resolved against the folder, if it stays inside: lexically (no {@code ..} out,
     * no absolute path elsewhere) and, when the file exists, after following symbolic links.
     */
    Optional<Path> inside(String source) {
        Path base = root.orElseThrow();
        Path file;
        try {
            file = base.resolve(source).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!file.startsWith(base) || file.equals(base)) {
            return Optional.empty();
        }
        if (Files.exists(file)) {
            try {
                if (!file.toRealPath().startsWith(base.toRealPath())) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                return Optional.of(file); // unreadable: the store reports it as a file error
            }
        }
        return Optional.of(file);
    }

    private String relative(String file) {
        Path p = Path.of(file);
        return root.isPresent() && p.startsWith(root.get()) ? root.get().relativize(p).toString() : file;
    }
}
