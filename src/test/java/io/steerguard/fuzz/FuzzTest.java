package io.steerguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The harness itself can fail: it finds a planted bug, a hang and an error without a message. */
class FuzzTest {

    private static final List<byte[]> SEEDS = List.of("{\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aParserThatThrowsOnSomeMutations_failsTheCampaign_withTheInputInBase64() {
        Fuzz.Report report = Fuzz.run("planted-bug", SEEDS, List.of("]]"), 2000, input -> {
            String text = new String(input, StandardCharsets.UTF_8);
            if (text.contains("]]")) {
                throw new IllegalStateException("planted");
            }
            return text.startsWith("{") ? Fuzz.Outcome.VALID : Fuzz.clearError(new IllegalArgumentException("no"));
        });
        assertThat(report.failures()).isNotEmpty();
        assertThat(report.failures().get(0)).contains("IllegalStateException: planted").contains("base64: ");
    }

    @Test
    void aParserThatHangs_failsTheCampaign_insteadOfTheBuild() {
        Fuzz.Report report = Fuzz.run("planted-hang", SEEDS, List.of(), 10, input -> {
            if (input.length != SEEDS.get(0).length) {
                Thread.sleep(60_000);
            }
            return Fuzz.Outcome.VALID;
        });
        assertThat(report.failures()).singleElement().asString().contains("no answer within");
    }

    @Test
    void anErrorWithoutAMessage_isNotAClearError() {
        Fuzz.Report report = Fuzz.run("planted-silent", SEEDS, List.of(), 1,
                input -> Fuzz.clearError(new IllegalArgumentException()));
        assertThat(report.failures()).isNotEmpty().first().asString().contains("an error without a message");
    }

    @Test
    void theSameSeed_givesTheSameInputs() {
        Mutator a = new Mutator(SEEDS, List.of("x"), 7);
        Mutator b = new Mutator(SEEDS, List.of("x"), 7);
        for (int i = 0; i < 100; i++) {
            assertThat(a.next()).isEqualTo(b.next());
        }
    }
}
