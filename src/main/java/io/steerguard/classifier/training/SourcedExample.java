package io.steerguard.classifier.training;

import io.steerguard.classifier.Exchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * One labelled answer of a real chat model from a public source (see datasets/refusal/README.md).
 *
 * @param source   the source id, e.g. {@code gptfuzz} or {@code jbb-pair}
 * @param split    the source's own split ({@code train} or {@code test})
 * @param model    the model(s) that wrote the answer
 * @param prompt   the request (the harmful goal; jailbreak wrappers are not kept)
 * @param response the answer, cut to 1,500 characters
 * @param refused  the label: true for a full or partial refusal, false when the model complied
 */
public record SourcedExample(String source, String split, String model, String prompt, String response, boolean refused) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public SourcedExample {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
    }

    public Exchange exchange() {
        return new Exchange(prompt, response);
    }

    /** The team-written template rows, as examples of source {@code templates}. */
    public static List<SourcedExample> templates() {
        List<SourcedExample> out = new ArrayList<>();
        for (LabelledExample e : RefusalDataset.parse(RefusalDataset.readResourceText())) {
            out.add(new SourcedExample("templates", e.split(), "team-written", e.prompt(), e.response(), e.refused()));
        }
        return out;
    }

    /** Reads a gzip'd JSONL file written by datasets/refusal/build.py. */
    public static List<SourcedExample> readGzipJsonl(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readGzipJsonl(in);
        }
    }

    public static List<SourcedExample> readGzipJsonl(InputStream gzipped) throws IOException {
        List<SourcedExample> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = MAPPER.readTree(line);
                out.add(new SourcedExample(n.path("source").asText(), n.path("split").asText(), n.path("model").asText(),
                        n.path("prompt").asText(), n.path("response").asText(), n.path("refused").asBoolean()));
            }
        }
        return out;
    }
}
