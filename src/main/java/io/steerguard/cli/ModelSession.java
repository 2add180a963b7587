package io.steerguard.cli;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.runtime.embedded.ModelTokenizer;
import io.steerguard.steering.ActivationCapture;
import io.steerguard.derivation.PromptEncoder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A model loaded for a command: the embedded runtime, its tokenizer as a {@link PromptEncoder},
 * and the model hint vector files carry. Closing it stops the inference thread.
 */
final class ModelSession implements AutoCloseable {

    final EmbeddedRuntime runtime;
    final PromptEncoder encoder;

    private ModelSession(EmbeddedRuntime runtime) {
        this.runtime = runtime;
        this.encoder = encoder(runtime.tokenizer());
    }

    /**
     * Loads {@code modelDir}. Blocking.
     *
     * @param batch      sequences decoded together (and KV-cache slots)
     * @param maxContext prompt plus generated tokens per sequence, capped at the model's
     *                   {@code max_position_embeddings}; kept small because the KV cache is allocated for it
     */
    static ModelSession open(Path modelDir, String device, int batch, int maxContext) {
        int context = Math.min(maxContext, ModelConfig.load(modelDir).maxPositions());
        return new ModelSession(EmbeddedRuntime.load(new EmbeddedRuntimeOptions("cli", modelDir, device, batch,
                context, 4 * batch)));
    }

    int numLayers() {
        return runtime.modelConfig().numLayers();
    }

    /** What vector files made for this model name as {@code model_hint}: config.json's family, lower case. */
    String modelHint() {
        return runtime.modelConfig().family().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        runtime.close();
    }

    static PromptEncoder encoder(ModelTokenizer tokenizer) {
        return new PromptEncoder() {
            @Override
            public boolean hasChatTemplate() {
                return tokenizer.hasChatTemplate();
            }

            @Override
            public int[] encodeChat(List<ChatMessage> messages) {
                return tokenizer.encodeChat(messages);
            }

            @Override
            public int[] encodePrompt(String text) {
                return tokenizer.encodePrompt(text);
            }

            @Override
            public int[] encode(String text) {
                return tokenizer.encode(text);
            }
        };
    }

    /** Progress on standard error: at most one line a second, and the last one. */
    static ActivationCapture.Progress progress(PrintStream err, String what) {
        long start = System.nanoTime();
        long[] lastPrint = {start};
        return (done, total) -> {
            long now = System.nanoTime();
            if (done < total && now - lastPrint[0] < 1_000_000_000L) {
                return;
            }
            lastPrint[0] = now;
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            err.printf(Locale.ROOT, "%s %d/%d prompts (%.1f prompts/s, %.1f s)%n", what, done, total,
                    done / seconds, seconds);
        };
    }
}
