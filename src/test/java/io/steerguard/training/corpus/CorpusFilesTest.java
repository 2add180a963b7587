package io.steerguard.training.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.derivation.ContrastiveData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusFilesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static DemoCorpus corpus;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        corpus = DemoCorpus.generate(8);
    }

    @Test
    void pairsFiles_readBackWithTheDeriveCommandsParser_inTheShippedLineStyle() throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        List<ContrastPair> pairs = corpus.jsonFormatPairs(Split.TRAIN);
        DemoCorpus.writePairs(file, pairs);

        ContrastiveData data = ContrastiveData.parseJsonl(Files.readString(file), file.toString());
        assertThat(data.shape()).isEqualTo(ContrastiveData.Shape.PROMPT_PAIRS);
        assertThat(data.examples()).hasSameSizeAs(pairs);
        assertThat(data.examples().get(0).positive()).isEqualTo(pairs.get(0).positive());
        assertThat(data.examples().get(0).negative()).isEqualTo(pairs.get(0).negative());
        String first = Files.readAllLines(file).get(0);
        assertThat(first).startsWith("{\"id\": \"json-").contains("\"category\": ", "\"positive\": ", "\"negative\": ");
        JsonNode node = MAPPER.readTree(first);
        assertThat(node.fieldNames()).toIterable().containsExactly("id", "category", "positive", "negative");
    }

    @Test
    void instructionFiles_readBackWithTheRefusalDirectionParser() throws Exception {
        Path harmful = dir.resolve("harmful.jsonl");
        Path harmless = dir.resolve("harmless.jsonl");
        corpus.writeInstructions(harmful, Split.TRAIN, true);
        corpus.writeInstructions(harmless, Split.TRAIN, false);

        List<String> read = ContrastiveData.parseField(Files.readString(harmful), "instruction", harmful.toString());
        assertThat(read).isEqualTo(corpus.select(Split.TRAIN, Category.HARMFUL).stream().map(Example::prompt).toList());
        List<String> benign = ContrastiveData.parseField(Files.readString(harmless), "instruction", harmless.toString());
        assertThat(benign).hasSize(corpus.select(Split.TRAIN, Category.BENIGN).size());
        JsonNode node = MAPPER.readTree(Files.readAllLines(harmful).get(0));
        assertThat(node.fieldNames()).toIterable().containsExactly("id", "category", "instruction");
    }

    @Test
    void exampleFiles_holdEveryField_oneObjectPerLine() throws Exception {
        Path file = dir.resolve("held-out.jsonl");
        corpus.writeJsonl(file, Split.HELD_OUT);
        List<String> lines = Files.readAllLines(file);
        List<Example> examples = corpus.split(Split.HELD_OUT);
        assertThat(lines).hasSameSizeAs(examples);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode node = MAPPER.readTree(lines.get(i));
            Example e = examples.get(i);
            assertThat(node.fieldNames()).toIterable()
                    .containsExactly("id", "category", "split", "topic", "system", "prompt", "response", "check");
            assertThat(node.get("id").asText()).isEqualTo(e.id());
            assertThat(node.get("category").asText()).isEqualTo(e.category().name());
            assertThat(node.get("split").asText()).isEqualTo("HELD_OUT");
            assertThat(node.get("prompt").asText()).isEqualTo(e.prompt());
            assertThat(node.get("response").asText()).isEqualTo(e.response());
            assertThat(node.get("system").isNull()).isEqualTo(e.system() == null);
            assertThat(node.get("check").get("type").asText()).isEqualTo(e.check().type());
        }
    }
}
