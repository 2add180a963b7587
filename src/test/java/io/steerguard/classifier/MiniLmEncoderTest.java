package io.steerguard.classifier;

import io.steerguard.djl.DjlOffline;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The tuned session is a performance change only: same vectors as LangChain4j's stock model. */
class MiniLmEncoderTest {

    @Test
    void tunedEncoder_givesTheStockModelsEmbeddings() {
        DjlOffline.ensure();
        var stock = new AllMiniLmL6V2EmbeddingModel();
        var tuned = MiniLmEncoder.create(1, 2);
        List<TextSegment> texts = List.of(TextSegment.from("i'm sorry, but i can't help with that."),
                TextSegment.from("sure! here is the sql: select customer_id, count(*) from orders group by customer_id;"),
                TextSegment.from("{\"error\": \"policy\"}"));
        List<Embedding> a = stock.embedAll(texts).content();
        List<Embedding> b = tuned.embedAll(texts).content();
        for (int i = 0; i < texts.size(); i++) {
            float[] x = a.get(i).vector();
            float[] y = b.get(i).vector();
            assertThat(y).hasSize(384);
            double dot = 0;
            for (int j = 0; j < x.length; j++) {
                dot += x[j] * y[j];
            }
            assertThat(dot).as("cosine of unit vectors, text %d", i).isCloseTo(1.0, within(1e-5));
        }
    }
}
