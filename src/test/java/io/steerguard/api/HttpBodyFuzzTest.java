package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.fuzz.Fuzz;

/**
 * The whole request path, not only the parser: mutated chat bodies sent over HTTP to the running
 * gateway (embedded tiny model behind it) get an answer or an OpenAI error JSON, and never a 5xx —
 * tenant resolution, profile choice, tokenisation, sampling and the response writer all see them.
 */
@QuarkusTest
class HttpBodyFuzzTest {

    private static final List<String> DICTIONARY = List.of("\"max_tokens\":", "\"stream\":true", "\"stop\":[",
            "\"logprobs\":true", "\"top_logprobs\":", "\"temperature\":", "\"top_p\":", "\"top_k\":", "\"seed\":",
            "\"steering\":{\"profile\":\"unsteered\"}", "\"steering\":{\"profile\":\"tiny-random\"}",
            "\"role\":\"assistant\"", "\"content\":", "<|eot_id|>", "<s>", "</s>", "{{", "{%", "\\u0000", "\"\\ud83d\"",
            "null", "true", "0", "-1", "1e308", "[", "]", "{", "}", ",");

    @Test
    void mutatedChatBodies_overHttp_neverGetA5xx() {
        int iterations = Integer.getInteger("steerguard.fuzz.http-iterations", 250);
        List<byte[]> seeds = Fuzz.corpus("http-chat");
        send(seeds.get(0)); // the first embedded generation loads the engine: not a fair per-input limit
        Fuzz.Report report = Fuzz.run("http-chat", seeds, DICTIONARY, iterations, Duration.ofSeconds(30), input -> {
            Response r = send(input);
            int status = r.statusCode();
            assertThat(status).as("status for %s", new String(input)).isLessThan(500);
            if (status == 200) {
                return Fuzz.Outcome.VALID;
            }
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.jsonPath().getString("error.message")).isNotBlank();
            return Fuzz.Outcome.CLEAR_ERROR;
        });
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("the seeds themselves are served").isGreaterThanOrEqualTo(2);
    }

    private static Response send(byte[] body) {
        return given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json").body(body)
                .post("/v1/chat/completions");
    }
}
