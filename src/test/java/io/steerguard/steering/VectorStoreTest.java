package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.steering.VectorValidation.HintPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorStoreTest {

    private static final VectorValidation MODEL = new VectorValidation(3, 6, "llama", HintPolicy.WARN);

    @TempDir
    Path dir;

    private long clock = 1_700_000_000_000L;

    /** Writes bytes and moves the mtime forward, so change detection never depends on timer resolution. */
    private void put(Path p, byte[] bytes) throws IOException {
        Files.write(p, bytes);
        clock += 2000;
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
    }

    private static byte[] gguf(float... layer2) {
        return ControlVectorGguf.write(VectorSet.of("llama", Map.of(2, layer2)));
    }

    @Test
    void brokenFile_keepsTheLastGoodVectors_andReportsTheError() throws IOException {
        VectorStore store = new VectorStore();
        Path p = dir.resolve("json.gguf");
        put(p, gguf(1, 2, 3));
        assertThat(store.load(p, MODEL, List.of(2))).isInstanceOf(VectorLoad.Fresh.class);

        byte[] good = Files.readAllBytes(p);
        put(p, Arrays.copyOf(good, good.length - 28)); // 20 padding bytes + 8 of the 12 data bytes
        VectorLoad load = store.load(p, MODEL, List.of(2));

        assertThat(load).isInstanceOf(VectorLoad.Stale.class);
        VectorLoad.Stale stale = (VectorLoad.Stale) load;
        assertThat(stale.lastGood().direction(2)).containsExactly(1, 2, 3);
        assertThat(stale.error().getMessage()).startsWith(p + ": tensor direction.2: truncated tensor data");

        put(p, gguf(4, 5, 6));
        VectorLoad fixed = store.load(p, MODEL, List.of(2));
        assertThat(fixed).isInstanceOf(VectorLoad.Fresh.class);
        assertThat(fixed.vectors().orElseThrow().direction(2)).containsExactly(4, 5, 6);
    }

    @Test
    void fileThatStopsFittingTheModel_isStaleToo() throws IOException {
        VectorStore store = new VectorStore();
        Path p = dir.resolve("v.gguf");
        put(p, gguf(1, 2, 3));
        store.load(p, MODEL, List.of());
        put(p, gguf(1, 2, 3, 4));

        VectorLoad load = store.load(p, MODEL, List.of());

        assertThat(load).isInstanceOf(VectorLoad.Stale.class);
        assertThat(((VectorLoad.Stale) load).error().getMessage())
                .isEqualTo(p + ": tensor direction.2: length 4, model hidden size is 3");
    }

    @Test
    void deletedFile_keepsTheLastGoodVectors() throws IOException {
        VectorStore store = new VectorStore();
        Path p = dir.resolve("v.gguf");
        put(p, gguf(1, 2, 3));
        store.load(p, MODEL, List.of());
        Files.delete(p);

        VectorLoad load = store.load(p, MODEL, List.of());

        assertThat(load).isInstanceOf(VectorLoad.Stale.class);
        assertThat(((VectorLoad.Stale) load).error().field()).isEqualTo("file");
    }

    @Test
    void neverGoodFile_fails() throws IOException {
        Path p = dir.resolve("v.gguf");
        put(p, "not gguf at all".getBytes());
        VectorLoad load = new VectorStore().load(p, MODEL, List.of());
        assertThat(load).isInstanceOf(VectorLoad.Failed.class);
        assertThat(load.vectors()).isEmpty();
        assertThat(((VectorLoad.Failed) load).error().field()).isEqualTo("header.magic");
    }

    @Test
    void unchangedFile_isServedFromCache_andAChangeIsSeen() throws IOException {
        VectorStore store = new VectorStore();
        Path p = dir.resolve("v.gguf");
        put(p, gguf(1, 2, 3));
        VectorLoad first = store.load(p, MODEL, List.of());
        assertThat(store.load(p, MODEL, List.of())).isSameAs(first);

        put(p, gguf(3, 2, 1)); // same size, newer mtime
        assertThat(store.load(p, MODEL, List.of()).vectors().orElseThrow().direction(2)).containsExactly(3, 2, 1);
    }

    @Test
    void missingRequiredLayer_isAnErrorNamingTheLayer() throws IOException {
        Path p = dir.resolve("v.gguf");
        put(p, gguf(1, 2, 3));
        VectorLoad load = new VectorStore().load(p, MODEL, List.of(2, 4));
        assertThat(((VectorLoad.Failed) load).error().getMessage())
                .isEqualTo(p + ": tensor direction.4: missing: the profile steers layer 4 but the file holds layers [2]");
    }
}
