package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.VectorValidation.HintPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SteeringResolverTest {

    @TempDir
    Path dir;

    private SteeringResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        VectorFiles.write(VectorSet.of("llama", Map.of(1, new float[] {3, 4}, 2, new float[] {0, 2})),
                dir.resolve("vectors/json.gguf"));
        VectorFiles.write(VectorSet.of("mistral", Map.of(0, new float[] {1, 1})), dir.resolve("vectors/other.json"));
        resolver = new SteeringResolver(new VectorStore(), dir, new VectorValidation(2, 4, "llama", HintPolicy.WARN));
    }

    @Test
    void entryWithoutLayers_steersEveryLayerOfTheFile_asStored() {
        ProfileResolution r = resolver.resolve(List.of(VectorEntry.add("vectors/json.gguf", List.of(), 4.0)), Map.of());

        SteeringSpec.Entry e = ((ProfileResolution.Ready) r).spec().entries().get(0);
        assertThat(e.layers()).containsExactly(1, 2);
        assertThat(e.directions().get(1)).containsExactly(3, 4);
        assertThat(e.coefficient()).isEqualTo(4.0);
        assertThat(e.source()).isEqualTo("vectors/json.gguf");
        assertThat(e.normalize()).isFalse();
    }

    @Test
    void unitNormalisation_givesUnitVectors_andAsksRemoteRuntimesToNormalise() {
        VectorEntry entry = new VectorEntry("vectors/json.gguf", List.of(1), 1.3, SteeringOperator.PROJECT_TO, 2.5,
                SteeringPositions.firstK(4), Normalisation.UNIT);

        SteeringSpec.Entry e = ((ProfileResolution.Ready) resolver.resolve(List.of(entry), Map.of())).spec().entries().get(0);

        assertThat(e.layers()).containsExactly(1);
        assertThat(e.directions().get(1)).containsExactly(0.6f, 0.8f);
        assertThat(e.operator()).isEqualTo(SteeringOperator.PROJECT_TO);
        assertThat(e.target()).isEqualTo(2.5);
        assertThat(e.positions()).isEqualTo(SteeringPositions.firstK(4));
        assertThat(e.normalize()).isTrue();
    }

    @Test
    void meanResidualNormalisation_scalesEachLayerToTheModelsResidualNorm() {
        VectorEntry entry = new VectorEntry("vectors/json.gguf", List.of(1, 2), 0.1, SteeringOperator.ADD, 0,
                SteeringPositions.ALL, Normalisation.MEAN_RESIDUAL_NORM);

        SteeringSpec spec = ((ProfileResolution.Ready) resolver.resolve(List.of(entry), Map.of(1, 10.0, 2, 40.0))).spec();

        assertThat(VectorMath.norm(spec.entries().get(0).directions().get(1))).isCloseTo(10.0, within(1e-5));
        assertThat(VectorMath.norm(spec.entries().get(0).directions().get(2))).isCloseTo(40.0, within(1e-5));
        assertThatThrownBy(() -> resolver.resolve(List.of(entry), Map.of(1, 10.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 2");
    }

    @Test
    void hintMismatchUnderWarn_isReady_withAWarning() {
        ProfileResolution r = resolver.resolve(List.of(VectorEntry.add("vectors/other.json", List.of(0), 1)), Map.of());
        assertThat(((ProfileResolution.Ready) r).warnings()).extracting(VectorWarning::detail)
                .containsExactly("'mistral' does not match the model 'llama'");
    }

    @Test
    void brokenFile_afterAGoodLoad_keepsTheProfileReady_onLastGoodVectors() throws IOException {
        List<VectorEntry> entries = List.of(VectorEntry.add("vectors/json.gguf", List.of(2), 1));
        resolver.resolve(entries, Map.of());
        Path p = dir.resolve("vectors/json.gguf");
        Files.write(p, new byte[] {'G', 'G', 'U', 'F', 9, 0, 0, 0});
        Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));

        ProfileResolution r = resolver.resolve(entries, Map.of());

        ProfileResolution.Ready ready = (ProfileResolution.Ready) r;
        assertThat(ready.spec().entries().get(0).directions().get(2)).containsExactly(0, 2);
        assertThat(ready.staleFiles()).extracting(VectorFileException::field).containsExactly("header.version");
    }

    @Test
    void fileNeverGood_makesTheProfileUnavailable() {
        ProfileResolution r = resolver.resolve(List.of(VectorEntry.add("vectors/json.gguf", List.of(1), 1),
                VectorEntry.add("vectors/missing.gguf", List.of(1), 1)), Map.of());
        assertThat(r).isInstanceOf(ProfileResolution.Unavailable.class);
        assertThat(((ProfileResolution.Unavailable) r).errors()).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("missing.gguf: file: cannot be read"));
    }
}
