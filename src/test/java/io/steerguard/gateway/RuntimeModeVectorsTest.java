package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class RuntimeModeVectorsTest {

    @TempDir
    Path tmp;

    private RuntimeModeVectors vectorsIn(Path dir) {
        return new RuntimeModeVectors(Optional.of(dir), 1 << 20, 64);
    }

    @Test
    void relativePathsInside_resolveUnderTheFolder_includingNestedOnes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("vectors"));
        RuntimeModeVectors vectors = vectorsIn(root);
        assertThat(vectors.inside("tone/formal.gguf")).contains(root.resolve("tone/formal.gguf"));
        assertThat(vectors.inside("a/../b.gguf")).contains(root.resolve("b.gguf"));
        assertThat(vectors.inside(root.resolve("c.gguf").toString())).contains(root.resolve("c.gguf"));
    }

    @Test
    void dotDotOut_absolutePathsElsewhere_andTheFolderItself_areRefused() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("vectors"));
        RuntimeModeVectors vectors = vectorsIn(root);
        assertThat(vectors.inside("../secret.gguf")).isEmpty();
        assertThat(vectors.inside("a/../../secret.gguf")).isEmpty();
        assertThat(vectors.inside(tmp.resolve("vectors-other/x.gguf").toString())).isEmpty();
        assertThat(vectors.inside(".")).isEmpty();
    }

    @Test
    void aSymbolicLinkPointingOutOfTheFolder_isRefused() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("vectors"));
        Path outside = Files.writeString(tmp.resolve("secret.gguf"), "x");
        Files.createSymbolicLink(root.resolve("link.gguf"), outside);
        Files.writeString(root.resolve("real.gguf"), "x");
        Files.createSymbolicLink(root.resolve("inner-link.gguf"), root.resolve("real.gguf"));
        RuntimeModeVectors vectors = vectorsIn(root);
        assertThat(vectors.inside("link.gguf")).isEmpty();
        assertThat(vectors.inside("inner-link.gguf")).isPresent();
    }
}
