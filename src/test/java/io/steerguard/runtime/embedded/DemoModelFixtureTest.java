package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed placeholder model is exactly what {@link DemoModelFixture} writes. */
class DemoModelFixtureTest {

    @Test
    void committedTinyRandomModel_isReproducible_fromTheFixtureWriter(@TempDir Path dir) throws IOException {
        Path committed = Path.of("models/tiny-random");
        DemoModelFixture.write(dir);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(Files.readAllBytes(committed.resolve(f))).as(f.toString()).isEqualTo(Files.readAllBytes(dir.resolve(f)));
        }
    }
}
