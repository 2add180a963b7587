package io.steerguard.steering;

import io.steerguard.runtime.SteeringSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a SteeringProfile's vector entries into a {@link SteeringSpec} with loaded, validated and
 * normalised directions, via a {@link VectorStore} so a broken file falls back to its last good
 * vectors.
 */
public final class SteeringResolver {

    private final VectorStore store;
    private final Path baseDir;
    private final VectorValidation validation;

    /**
     * @param store      shared vector cache
     * @param baseDir    directory relative entry paths resolve against (the profile document's)
     * @param validation the target model's shape and hint policy
     */
    public SteeringResolver(VectorStore store, Path baseDir, VectorValidation validation) {
        this.store = Objects.requireNonNull(store, "store");
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
        this.validation = Objects.requireNonNull(validation, "validation");
    }

    /**
     * A resolver for a one-off command-line run against a model of the given shape: a fresh store,
     * paths relative to the working directory, and a model-hint mismatch only warned about.
     *
     * @param modelHint the model family in lower case, compared with the vector files' hints
     */
    public static SteeringResolver standalone(int hiddenSize, int numLayers, String modelHint) {
        return new SteeringResolver(new VectorStore(), Path.of("."),
                new VectorValidation(hiddenSize, numLayers, modelHint, VectorValidation.HintPolicy.WARN));
    }

    /**
     * Resolves {@code entries}.
     *
     * @param meanResidualNorms mean residual-stream norm per layer, required for every layer of an
     *                          entry using {@link Normalisation#MEAN_RESIDUAL_NORM}
     * @throws IllegalArgumentException when such a norm is missing or not positive
     */
    public ProfileResolution resolve(List<VectorEntry> entries, Map<Integer, Double> meanResidualNorms) {
        List<SteeringSpec.Entry> specEntries = new ArrayList<>();
        List<VectorWarning> warnings = new ArrayList<>();
        List<VectorFileException> stale = new ArrayList<>();
        List<VectorFileException> failed = new ArrayList<>();
        for (VectorEntry entry : entries) {
            Path path = baseDir.resolve(entry.file());
            VectorLoad load = store.load(path, validation, entry.layers());
            if (load instanceof VectorLoad.Fresh f) {
                warnings.addAll(f.warnings());
            } else if (load instanceof VectorLoad.Stale s) {
                warnings.addAll(s.warnings());
                stale.add(s.error());
            } else if (load instanceof VectorLoad.Failed f) {
                failed.add(f.error());
            }
            load.vectors().ifPresent(set -> specEntries.add(toSpecEntry(entry, set, meanResidualNorms)));
        }
        if (!failed.isEmpty()) {
            return new ProfileResolution.Unavailable(failed);
        }
        return new ProfileResolution.Ready(new SteeringSpec(specEntries), warnings, stale);
    }

    private static SteeringSpec.Entry toSpecEntry(VectorEntry entry, VectorSet set, Map<Integer, Double> norms) {
        List<Integer> layers = entry.layers().isEmpty() ? set.layers() : entry.layers();
        Map<Integer, float[]> directions = new LinkedHashMap<>();
        for (int layer : layers) {
            directions.put(layer, normalise(set.direction(layer), layer, entry.normalisation(), norms, set.source()));
        }
        return new SteeringSpec.Entry(entry.file(), layers, directions, entry.coefficient(), entry.operator(),
                entry.target(), entry.positions(), entry.normalisation() == Normalisation.UNIT);
    }

    /** Rescales {@code v} (a fresh copy) in place as {@code mode} says. */
    static float[] normalise(float[] v, int layer, Normalisation mode, Map<Integer, Double> norms, String source) {
        if (mode == Normalisation.NONE) {
            return v;
        }
        double targetNorm = 1.0;
        if (mode == Normalisation.MEAN_RESIDUAL_NORM) {
            Double n = norms.get(layer);
            if (n == null || !(n > 0) || !Double.isFinite(n)) {
                throw new IllegalArgumentException(source + ": mean-residual-norm normalisation needs a positive mean "
                        + "residual norm for layer " + layer + ", got " + n);
            }
            targetNorm = n;
        }
        double scale = targetNorm / VectorMath.norm(v);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * scale);
        }
        return v;
    }
}
