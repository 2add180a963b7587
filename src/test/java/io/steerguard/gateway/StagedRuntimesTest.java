package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.RuntimeCapabilities;

class StagedRuntimesTest {

    private final List<String> closed = new ArrayList<>();

    private ModelRuntime runtime(String name) {
        return new ModelRuntime() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RuntimeCapabilities capabilities() {
                return RuntimeCapabilities.remotePlain();
            }

            @Override
            public Multi<GenerationEvent> generate(GenerationRequest request) {
                return Multi.createFrom().empty();
            }

            @Override
            public void close() {
                closed.add(name);
            }
        };
    }

    @Test
    void runtimesOfAReloadThatFailsPartWay_evenWithAnError_areClosed() {
        int[] n = {0};
        RuntimeFactory factory = doc -> {
            if (++n[0] == 3) {
                throw new UnsatisfiedLinkError("libtorch_cuda.so"); // an Error, not a RuntimeException
            }
            return runtime("r" + n[0]);
        };
        assertThatThrownBy(() -> {
            try (StagedRuntimes staged = new StagedRuntimes(factory)) {
                staged.create(null);
                staged.create(null);
                staged.create(null);
                staged.commit();
            }
        }).isInstanceOf(UnsatisfiedLinkError.class);
        assertThat(closed).containsExactly("r1", "r2");
    }

    @Test
    void committedRuntimes_stayOpen() {
        try (StagedRuntimes staged = new StagedRuntimes(doc -> runtime("kept"))) {
            staged.create((RuntimeDocument) null);
            staged.commit();
        }
        assertThat(closed).isEmpty();
    }
}
