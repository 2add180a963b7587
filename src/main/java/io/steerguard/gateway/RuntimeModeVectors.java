package io.steerguard.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.steerguard.config.ServingModeConfig;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.steering.Normalisation;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorEntry;
import io.steerguard.steering.VectorFileException;
import io.steerguard.steering.VectorStore;
import io.steerguard.steering.VectorValidation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runtime mode's vector loading: a request's EasySteer entries name files relative to
 * {@code steerguard.runtime.vectors-dir}; this resolves them inside that folder (a path that leaves
 * it is refused), loads them through a shared {@link VectorStore} validated against the serving
 * model's hidden size and layer count, and returns the spec with its directions, as stored (no
 * rescaling: EasySteer's {@code direct} adds {@code scale * v} with {@code v} as in the file, and a
 * profile's default normalisation is none). Blocking file I/O: call off the event loop.
 */
@ApplicationScoped
public class RuntimeModeVectors {

    private static final Logger LOG = Logger.getLogger(RuntimeModeVectors.class);

    /** The outcome for one request's steering. */
    public sealed interface Result {
        /** Every entry loaded; the spec carries directions. */
        record Loaded(SteeringSpec spec) implements Result {
        }

        /** A client error: a path outside the folder, a missing or invalid file. */
        record Rejected(String message, String param) implements Result {
        }
    }

    private final VectorStore store = new VectorStore();
    private final Optional<Path> root;

    public RuntimeModeVectors(ServingModeConfig config) {
        this.root = config.runtime().vectorsDir().map(p -> p.toAbsolutePath().normalize());
    }

    /** Loads the directions of {@code spec} (entries as {@link io.steerguard.runtime.remote.EasySteerSteering} read them). */
    public Result load(SteeringSpec spec, EmbeddedRuntime runtime) {
        if (spec.isNone()) {
            return new Result.Loaded(spec);
        }
        if (root.isEmpty()) {
            return new Result.Rejected("This runtime has no vectors folder (steerguard.runtime.vectors-dir), so it "
                    + "serves only unsteered requests; send \"steering\": false.", "steering.vectors");
        }
        List<VectorEntry> entries = new ArrayList<>();
        for (int i = 0; i < spec.entries().size(); i++) {
            SteeringSpec.Entry e = spec.entries().get(i);
            String param = "steering.vectors[" + i + "].source";
            Optional<Path> file = inside(e.source());
            if (file.isEmpty()) {
                return new Result.Rejected("'" + param + "' must name a file inside this runtime's vectors folder;"
                        + " '" + e.source() + "' leaves it.", param);
            }
            entries.add(new VectorEntry(file.get().toString(), e.layers(), e.coefficient(), e.operator(), e.target(),
                    e.positions(), Normalisation.NONE));
        }
        ModelConfig model = runtime.modelConfig();
        VectorValidation validation = new VectorValidation(model.hiddenSize(), model.numLayers(),
                model.family().name().toLowerCase(Locale.ROOT), VectorValidation.HintPolicy.WARN);
        ProfileResolution resolution = new SteeringResolver(store, root.get(), validation).resolve(entries, java.util.Map.of());
        if (resolution instanceof ProfileResolution.Unavailable unavailable) {
            VectorFileException first = unavailable.errors().get(0);
            return new Result.Rejected("Steering vector " + relative(first.file()) + " cannot be used: "
                    + first.getMessage(), "steering.vectors");
        }
        ProfileResolution.Ready ready = (ProfileResolution.Ready) resolution;
        ready.staleFiles().forEach(s -> LOG.warnf("serving the last good vectors of %s: %s", s.file(), s.getMessage()));
        return new Result.Loaded(ready.spec());
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
