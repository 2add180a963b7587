package io.steerguard.steering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads vector files and keeps the last good version of each. A file is re-read when its
 * modification time or size changes; when the new contents fail to parse or validate, the store
 * answers {@link VectorLoad.Stale} with the last good vectors and the error, so a broken file never
 * takes down a running profile.
 *
 * <p>Entries are keyed by the absolute path <em>and</em> the checks applied (model validation and
 * the layers a profile needs): last-good means good for that model and those layers. Thread-safe;
 * concurrent loads of one key read the file once.
 */
public final class VectorStore {

    private record Key(Path path, VectorValidation validation, List<Integer> requiredLayers) {
    }

    private record Stamp(long modifiedNanos, long size, Object fileKey) {
    }

    private record Cached(Stamp stamp, VectorLoad load, VectorSet lastGood, List<VectorWarning> lastGoodWarnings) {
    }

    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    /**
     * The vectors in {@code path}, validated for the model and checked to hold every layer in
     * {@code requiredLayers} (empty: any layers).
     */
    public VectorLoad load(Path path, VectorValidation validation, List<Integer> requiredLayers) {
        Objects.requireNonNull(validation, "validation");
        Key key = new Key(path.toAbsolutePath().normalize(), validation, List.copyOf(requiredLayers));
        Stamp stamp = stamp(key.path());
        Cached cached = cache.compute(key, (k, old) -> {
            if (old != null && stamp != null && stamp.equals(old.stamp())) {
                return old;
            }
            return reload(k, path.toString(), stamp, old);
        });
        return cached.load();
    }

    /** Forgets everything about {@code path}, including its last good vectors. */
    public void forget(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        cache.keySet().removeIf(k -> k.path().equals(abs));
    }

    private static Cached reload(Key key, String file, Stamp stamp, Cached old) {
        try {
            VectorSet set = VectorFiles.read(key.path()).withSource(file);
            List<VectorWarning> warnings = key.validation().validate(set);
            for (int layer : key.requiredLayers()) {
                if (!set.directions().containsKey(layer)) {
                    throw new VectorFileException(file, VectorFormat.fieldFor(file, layer), "missing: the profile steers layer "
                            + layer + " but the file holds layers " + set.layers());
                }
            }
            return new Cached(stamp, new VectorLoad.Fresh(set, warnings), set, warnings);
        } catch (RuntimeException fault) {
            // Any fault, even an unforeseen one, must leave the last good vectors in force.
            VectorFileException e = fault instanceof VectorFileException v ? v
                    : new VectorFileException(file, "file", "unreadable: " + fault, fault);
            if (old != null && old.lastGood() != null) {
                return new Cached(stamp, new VectorLoad.Stale(old.lastGood(), old.lastGoodWarnings(), e),
                        old.lastGood(), old.lastGoodWarnings());
            }
            return new Cached(stamp, new VectorLoad.Failed(e), null, List.of());
        }
    }

    /** The file's identity for change detection, or null when it cannot be read (then it is re-tried each time). */
    private static Stamp stamp(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }
}
