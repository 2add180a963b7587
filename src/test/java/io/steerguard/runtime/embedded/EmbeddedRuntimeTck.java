package io.steerguard.runtime.embedded;

import java.nio.file.Path;

/** The tiny embedded runtime the TCK verification runs on, built from this package's test fixtures. */
public final class EmbeddedRuntimeTck {

    private EmbeddedRuntimeTck() {
    }

    /** A 2-sequence BF16 Llama with a byte-level tokenizer, written to {@code dir} and loaded on the CPU. */
    public static EmbeddedRuntime tinyRuntime(Path dir) {
        int vocab = TestTokenizers.writeByteLevel(dir);
        TinyModels.write(dir, TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.BF16).withVocab(vocab));
        return EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("tck", dir)
                .withDevice("cpu").withMaxBatch(2).withMaxContext(160).withQueueCapacity(8));
    }
}
