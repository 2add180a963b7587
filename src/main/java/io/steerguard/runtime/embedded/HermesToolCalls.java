package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Qwen2.5 / Hermes format: content, then one or more
 * {@code <tool_call>{"name": "f", "arguments": {...}}</tool_call>} blocks. The last block may lack
 * its closing tag (the model ended its turn right after the JSON). Anything else after the first
 * block but whitespace, or a block that is not such an object, makes the whole text content. A
 * block without {@code arguments} is a call with none ({@code {}}), for functions without parameters.
 */
final class HermesToolCalls implements ToolCallParser {

    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    @Override
    public int holdFrom(String text, boolean atStart) {
        int at = text.indexOf(OPEN);
        if (at >= 0) {
            return at;
        }
        // hold back an end of the text that could grow into "<tool_call>"
        for (int k = Math.min(OPEN.length() - 1, text.length()); k > 0; k--) {
            if (OPEN.regionMatches(0, text, text.length() - k, k)) {
                return text.length() - k;
            }
        }
        return text.length();
    }

    @Override
    public boolean callStarted(String text, boolean atStart) {
        return text.contains(OPEN);
    }

    @Override
    public Parsed parse(String text) {
        int first = text.indexOf(OPEN);
        if (first < 0) {
            return new Content(text);
        }
        List<Call> calls = new ArrayList<>();
        int pos = first;
        while (pos < text.length()) {
            if (!text.startsWith(OPEN, pos)) {
                return new Content(text);
            }
            int bodyStart = pos + OPEN.length();
            int close = text.indexOf(CLOSE, bodyStart);
            int bodyEnd = close < 0 ? text.length() : close;
            Optional<Call> call = ToolCallJson.object(text.substring(bodyStart, bodyEnd))
                    .flatMap((ObjectNode o) -> ToolCallJson.call(o, true, "arguments"));
            if (call.isEmpty()) {
                return new Content(text);
            }
            calls.add(call.get());
            pos = close < 0 ? text.length() : close + CLOSE.length();
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
        return new Calls(text.substring(0, first), calls);
    }
}
