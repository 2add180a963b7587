package io.steerguard.api.responses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A strict reader of a Responses API event stream, as the OpenAI SDKs read it: every event is an
 * {@code event:} line naming its type and one {@code data:} line of JSON whose {@code type} is the
 * same, and {@code sequence_number} counts 0, 1, 2, ... with no gap. No {@code [DONE]}.
 */
final class ResponsesEvents {

    record Event(String type, JsonObject data) {
    }

    private ResponsesEvents() {
    }

    static List<Event> parse(String body) {
        assertThat(body).as("a stream ends with a blank line").endsWith("\n\n");
        List<Event> events = new ArrayList<>();
        for (String block : body.substring(0, body.length() - 2).split("\n\n", -1)) {
            String[] lines = block.split("\n", -1);
            assertThat(lines).as("event and data lines of %s", block).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            String type = lines[0].substring("event: ".length());
            JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
            assertThat(data.getString("type")).as("the data's type").isEqualTo(type);
            assertThat(data.getInteger("sequence_number")).as("sequence_number of %s", type).isEqualTo(events.size());
            events.add(new Event(type, data));
        }
        return events;
    }

    static List<String> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    /** The concatenated {@code response.output_text.delta} texts. */
    static String deltas(List<Event> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.type().equals("response.output_text.delta"))
                .forEach(e -> text.append(e.data().getString("delta")));
        return text.toString();
    }

    static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }

    static Event first(List<Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event in " + types(events)));
    }
}
