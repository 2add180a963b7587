package io.steerguard.steering;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link VectorStore} has for a file: the current vectors, the last good ones with the error
 * that stopped a reload, or nothing usable at all.
 */
public sealed interface VectorLoad {

    /** The vectors to steer with, if any. */
    Optional<VectorSet> vectors();

    /** The file read and validated; these are its current contents. */
    record Fresh(VectorSet set, List<VectorWarning> warnings) implements VectorLoad {
        public Fresh {
            Objects.requireNonNull(set, "set");
            warnings = List.copyOf(warnings);
        }

        @Override
        public Optional<VectorSet> vectors() {
            return Optional.of(set);
        }
    }

    /** The file broke after it had loaded once; {@code lastGood} stays in force. */
    record Stale(VectorSet lastGood, List<VectorWarning> warnings, VectorFileException error) implements VectorLoad {
        public Stale {
            Objects.requireNonNull(lastGood, "lastGood");
            Objects.requireNonNull(error, "error");
            warnings = List.copyOf(warnings);
        }

        @Override
        public Optional<VectorSet> vectors() {
            return Optional.of(lastGood);
        }
    }

    /** The file has never loaded successfully. */
    record Failed(VectorFileException error) implements VectorLoad {
        public Failed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public Optional<VectorSet> vectors() {
            return Optional.empty();
        }
    }
}
