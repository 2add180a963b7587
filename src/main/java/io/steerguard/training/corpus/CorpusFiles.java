package io.steerguard.training.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSONL writers of {@link DemoCorpus}; one object per line, keys in a fixed order. */
final class CorpusFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CorpusFiles() {
    }

    static void writeExamples(Path file, List<Example> examples) throws IOException {
        try (BufferedWriter out = open(file)) {
            for (Example e : examples) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", e.id());
                line.put("category", e.category().name());
                line.put("split", e.split().name());
                line.put("topic", e.topic());
                line.put("system", e.system());
                line.put("prompt", e.prompt());
                line.put("response", e.response());
                line.put("check", AnswerCheck.Text.describe(e.check()));
                out.write(MAPPER.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    static void writePairs(Path file, List<ContrastPair> pairs) throws IOException {
        try (BufferedWriter out = open(file)) {
            for (ContrastPair p : pairs) {
                out.write(line(new String[] {"id", p.id(), "category", p.category(), "positive", p.positive(),
                        "negative", p.negative()}));
                out.newLine();
            }
        }
    }

    static void writeInstructions(Path file, List<Example> examples) throws IOException {
        try (BufferedWriter out = open(file)) {
            for (Example e : examples) {
                out.write(line(new String[] {"id", e.id(), "category", e.topic(), "instruction", e.prompt()}));
                out.newLine();
            }
        }
    }

    /** One line in the shipped datasets' style: {@code {"key": "value", "key": "value"}}. */
    private static String line(String[] keysAndValues) throws JsonProcessingException {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            s.append(i == 0 ? "" : ", ").append(MAPPER.writeValueAsString(keysAndValues[i])).append(": ")
                    .append(MAPPER.writeValueAsString(keysAndValues[i + 1]));
        }
        return s.append('}').toString();
    }

    private static BufferedWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
