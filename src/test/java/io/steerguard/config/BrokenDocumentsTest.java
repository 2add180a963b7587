package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table test: every file under {@code testdata/config/broken} is rejected, and each of its
 * {@code # expect:} lines is one of the reported problems, verbatim (file:line:column: field: message).
 */
class BrokenDocumentsTest {

    private static final Path BROKEN = Path.of("src/test/resources/testdata/config/broken");

    static Stream<Path> brokenFiles() throws IOException {
        return Files.list(BROKEN).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenDocument_isRejected_withTheExactMessage(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length())).toList();
        assertThat(expected).as("fixture must state its expected errors").isNotEmpty();

        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Rejected.class);
        List<String> reported = ((ConfigLoader.Outcome.Rejected) outcome).problems().stream()
                .filter(ConfigProblem::isError)
                .map(p -> p.toString().replace(BROKEN + "/", "")).toList();
        assertThat(reported).containsAll(expected);
    }

    @Test
    void validConfiguration_loads_withEveryDocument() {
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(Path.of("src/test/resources/testdata/config/valid")));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        ConfigSet set = ((ConfigLoader.Outcome.Loaded) outcome).config();
        assertThat(set.runtimes()).containsOnlyKeys("vllm-plain", "vllm-steer");
        assertThat(set.profiles()).containsOnlyKeys("json-format");
        assertThat(set.tenants()).containsOnlyKeys("acme", "globex");
        RuntimeDocument.Remote plain = (RuntimeDocument.Remote) set.runtimes().get("vllm-plain").spec();
        assertThat(plain.upstreamModel()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(plain.readTimeout()).hasSeconds(30);
        assertThat(set.profiles().get("json-format").vectors().get(0).coefficient()).isEqualTo(4.0);
        assertThat(set.tenants().get("acme").rateLimit()).isEqualTo(new TenantDocument.RateLimit(50, 100));
        assertThat(set.tenants().get("acme").models().get("vllm-steer").allowedProfiles()).containsExactly("unsteered");
    }

    @Test
    void hiddenDirectories_likeConfigMapDataLinks_areSkipped(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve("..2026_11_27_data"));
        Files.copy(Path.of("src/test/resources/testdata/config/valid/complete.yaml"), data.resolve("complete.yaml"));
        Files.createSymbolicLink(dir.resolve("complete.yaml"), data.resolve("complete.yaml"));

        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(dir));

        assertThat(outcome).as("the linked file counts once, no duplicate names")
                .isInstanceOf(ConfigLoader.Outcome.Loaded.class);
    }
}
