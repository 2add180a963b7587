package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.fuzz.Fuzz;
import io.steerguard.steering.easysteer.EasySteerLimits;

/**
 * Request bodies are the most hostile input the gateway reads: every mutated chat or completion
 * body, in gateway and runtime mode, ends in a valid request or in an OpenAI 400 with a message
 * (which the handler sends as is) — never in an exception, which would become a 500.
 */
class RequestParserFuzzTest {

    private static final List<String> DICTIONARY = List.of("\"model\":", "\"messages\":", "\"prompt\":",
            "\"role\":\"user\"", "\"role\":\"tool\"", "\"content\":", "\"stream\":true", "\"stream_options\":{",
            "\"max_tokens\":", "\"temperature\":", "\"top_p\":", "\"stop\":[", "\"logprobs\":true",
            "\"top_logprobs\":", "\"n\":", "\"seed\":", "\"steering\":", "{\"profile\":", "\"vectors\":[",
            "\"tools\":[", "\"type\":\"text\"", "\"text\":", "null", "true", "false", "1e308", "-1",
            "9223372036854775808", "NaN", "\"\\ud800\"", "[[", "]]", "{}", "[]", ",", ":");

    @Test
    void mutatedChatBodies_endInAValidRequestOrAnOpenAi400() {
        check("chat-request", Operation.CHAT);
    }

    @Test
    void mutatedCompletionBodies_endInAValidRequestOrAnOpenAi400() {
        check("completion-request", Operation.TEXT_COMPLETION);
    }

    private static void check(String corpus, Operation operation) {
        List<RequestParser> parsers = new ArrayList<>();
        for (RequestParser.SteeringField field : RequestParser.SteeringField.values()) {
            parsers.add(new RequestParser(new ObjectMapper(), 64, 4096, field, new EasySteerLimits(16, 4, 8)));
        }
        Fuzz.Report report = Fuzz.run(corpus, Fuzz.corpus(corpus), DICTIONARY, input -> {
            Fuzz.Outcome outcome = null;
            for (RequestParser parser : parsers) {
                RequestParser.Result result = parser.parse(operation, input);
                if (result instanceof RequestParser.Result.Invalid invalid) {
                    assertThat(invalid.error().status()).isEqualTo(400);
                    assertThat(invalid.error().toJson().toString()).contains("\"invalid_request_error\"");
                    outcome = outcome == null ? Fuzz.Outcome.CLEAR_ERROR : outcome;
                } else {
                    outcome = Fuzz.Outcome.VALID;
                }
            }
            return outcome;
        });
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("mutations that keep a request valid are reached").isPositive();
    }
}
