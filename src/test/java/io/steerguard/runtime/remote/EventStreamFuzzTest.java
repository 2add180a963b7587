package io.steerguard.runtime.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;

import io.steerguard.fuzz.Fuzz;

/**
 * An upstream's event stream is input from another process: mutated streams, cut into network
 * chunks at arbitrary places, end in events whose chunks decode or in the two faults the exchange
 * maps to 502 (an oversized event, malformed JSON) — never in another exception or a hang.
 */
class EventStreamFuzzTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> DICTIONARY = List.of("data: ", "data:", "\n\n", "\r\n", "\r", ": ping\n",
            "[DONE]", "{\"choices\":[", "\"delta\":{", "\"content\":", "\"finish_reason\":\"stop\"", "\"usage\":{",
            "\"prompt_tokens\":", "\"logprobs\":{\"content\":[", "\"logprob\":", "\"error\":{", "\"message\":",
            "null", "true", "1e999", "-0", "\"\\ud800\"", "\\u0000", "}", "]", "{", "[");

    @Test
    void mutatedUpstreamStreams_endInDecodedEventsOrAProtocolFault() {
        Fuzz.Report report = Fuzz.run("event-stream", Fuzz.corpus("event-stream"), DICTIONARY,
                EventStreamFuzzTest::parseAll);
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("the seeds themselves parse").isGreaterThanOrEqualTo(3);
    }

    /** Feeds the bytes in chunks whose sizes come from the input itself, as a network would cut them. */
    private static Fuzz.Outcome parseAll(byte[] input) {
        SseParser parser = new SseParser(4096);
        StreamChunk chunk = new StreamChunk();
        int[] events = {0};
        SseParser.Sink sink = (data, offset, length) -> {
            chunk.reset();
            if (length == 6 && new String(data, offset, length).equals("[DONE]")) {
                return;
            }
            try {
                chunk.decode(JSON, data, offset, length);
            } catch (IOException e) {
                throw new DecodeFault(e);
            }
            events[0]++;
        };
        try {
            int at = 0;
            int step = 1;
            while (at < input.length) {
                int n = Math.min(input.length - at, step);
                parser.append(input, at, n);
                at += n;
                while (parser.next(sink)) {
                    // pull every complete event, as downstream demand would
                }
                step = 1 + (input[at - 1] & 0x3f);
            }
            return Fuzz.Outcome.VALID;
        } catch (SseParser.EventTooLargeException e) {
            return Fuzz.clearError(e);
        } catch (DecodeFault e) {
            return Fuzz.clearError(e.getCause());
        }
    }

    private static final class DecodeFault extends RuntimeException {
        DecodeFault(IOException cause) {
            super(cause);
        }
    }
}
