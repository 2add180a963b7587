package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #12.7: runtime mode's parsed-vector cache is keyed by content and bounded in bytes. */
class ContentVectorCacheTest {

    @TempDir
    Path tmp;

    private static final VectorValidation VALIDATION = new VectorValidation(4, 8, "", VectorValidation.HintPolicy.IGNORE);

    private static VectorSet set(float x, int... layers) {
        Map<Integer, float[]> d = new java.util.HashMap<>();
        for (int l : layers) {
            d.put(l, new float[]{x, 1f, 2f, 3f});
        }
        return VectorSet.of("llama", d);
    }

    @Test
    void aFileChangedInPlace_isReparsed_becauseTheKeyIsItsContent() throws Exception {
        ContentVectorCache cache = new ContentVectorCache(1 << 20);
        Path file = tmp.resolve("v.safetensors");
        VectorFiles.write(set(1f, 1, 2), file);
        long stamp = Files.getLastModifiedTime(file).toMillis();
        assertThat(cache.file(file, "v", VALIDATION).set().direction(1)[0]).isEqualTo(1f);
        VectorFiles.write(set(5f, 1, 2), file);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(stamp));
        assertThat(cache.file(file, "v", VALIDATION).set().direction(1)[0]).isEqualTo(5f);
    }

    @Test
    void identicalContent_underTwoNames_isParsedOnce_andInlineVectorsShareTheBudget() throws Exception {
        ContentVectorCache cache = new ContentVectorCache(1 << 20);
        VectorFiles.write(set(1f, 1), tmp.resolve("a.safetensors"));
        Files.copy(tmp.resolve("a.safetensors"), tmp.resolve("b.safetensors"));
        ContentVectorCache.Entry a = cache.file(tmp.resolve("a.safetensors"), "a", VALIDATION);
        ContentVectorCache.Entry b = cache.file(tmp.resolve("b.safetensors"), "b", VALIDATION);
        assertThat(b).isSameAs(a);
        assertThat(cache.size()).isEqualTo(1);
        cache.inline(Map.of(3, new float[]{1f, 1f, 1f, 1f}), "data", VALIDATION);
        assertThat(cache.inline(Map.of(3, new float[]{1f, 1f, 1f, 1f}), "data", VALIDATION).sha256())
                .startsWith("inline:");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void theCache_neverHoldsMoreBytesThanItsBudget_evictingTheLeastRecentlyUsed() throws Exception {
        long oneSet = 2 * 4 * 4; // two layers of four floats
        ContentVectorCache cache = new ContentVectorCache(3 * oneSet);
        for (int i = 0; i < 20; i++) {
            Path f = tmp.resolve("v" + i + ".safetensors");
            VectorFiles.write(set(i + 1, 1, 2), f);
            cache.file(f, "v" + i, VALIDATION);
            assertThat(cache.bytes()).isLessThanOrEqualTo(3 * oneSet);
        }
        assertThat(cache.size()).isEqualTo(3);
        ContentVectorCache tiny = new ContentVectorCache(8);
        assertThat(tiny.file(tmp.resolve("v0.safetensors"), "v0", VALIDATION).set().layers()).containsExactly(1, 2);
        assertThat(tiny.size()).isZero();
    }
}
