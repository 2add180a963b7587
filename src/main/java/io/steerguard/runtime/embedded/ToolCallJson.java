package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;

/** JSON helpers shared by the tool-call parsers. */
final class ToolCallJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCallJson() {
    }

    /** Reads one JSON object that is all of {@code text} but whitespace; empty when it is not one. */
    static Optional<ObjectNode> object(String text) {
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(p);
            if (p.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of((ObjectNode) node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A call from {@code {"name": "...", <argsField>: {...}}}, or empty when it is not one. Without
     * any of {@code argsFields} it is a call with no arguments only when {@code argsOptional}.
     */
    static Optional<ToolCallParser.Call> call(ObjectNode o, boolean argsOptional, String... argsFields) {
        JsonNode name = o.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            return Optional.empty();
        }
        for (String field : argsFields) {
            JsonNode args = o.get(field);
            if (args == null) {
                continue;
            }
            if (args.isObject()) {
                return Optional.of(new ToolCallParser.Call(name.asText(), args.toString()));
            }
            // some models write the arguments as a JSON string holding the object
            if (args.isTextual()) {
                try {
                    JsonNode inner = JSON.readTree(args.asText());
                    if (inner != null && inner.isObject()) {
                        return Optional.of(new ToolCallParser.Call(name.asText(), inner.toString()));
                    }
                } catch (JsonProcessingException e) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
        return argsOptional ? Optional.of(new ToolCallParser.Call(name.asText(), "{}")) : Optional.empty();
    }
}
