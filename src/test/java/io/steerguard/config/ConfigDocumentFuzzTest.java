package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.fuzz.Fuzz;

/**
 * Configuration files are edited by hand and arrive half-written: every mutated document file
 * parses into documents and problems with a file, a line and a message — the parser never throws,
 * so a bad edit can only be rejected, never crash the reload.
 */
class ConfigDocumentFuzzTest {

    private static final Path FILE = Path.of("fuzz.yaml");
    private static final List<String> DICTIONARY = List.of("\n---\n", "---", "...", "apiVersion: steerguard.io/v1\n",
            "kind: Runtime\n", "kind: Tenant\n", "kind: SteeringProfile\n", "kind: GuardrailPolicy\n", "spec:\n",
            "metadata: {name: x}\n", "&a ", "*a", "!!binary ", "!!python/object ", "<<: ", "? ", "- ", "  ", "\t",
            "{", "}", "[", "]", ": ", "'", "\"", "|\n", ">-\n", "#", "%YAML 1.1\n", "\u00a0", "1e999", "~");

    @Test
    void mutatedDocumentFiles_parseIntoDocumentsOrLocatedProblems() {
        DocumentParser parser = new DocumentParser();
        Fuzz.Report report = Fuzz.run("config-document", Fuzz.corpus("config-document"), DICTIONARY, input -> {
            DocumentParser.Result result = parser.parse(FILE, new String(input, StandardCharsets.UTF_8));
            for (ConfigProblem problem : result.problems()) {
                assertThat(problem.message()).isNotBlank();
                assertThat(problem.location()).isNotNull();
            }
            return result.problems().stream().anyMatch(ConfigProblem::isError) ? Fuzz.Outcome.CLEAR_ERROR
                    : Fuzz.Outcome.VALID;
        });
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("the seeds themselves parse").isGreaterThanOrEqualTo(3);
    }
}
