package io.steerguard.runtime.embedded;

import java.util.Objects;
import java.util.Set;

/**
 * One sequence's generated text on its way to the client when tool calls are parsed: text that
 * cannot be part of a call is released as it comes; text that could be the start of one is held,
 * and once a call has begun everything is held to the end of the sequence, where the parser decides
 * whether it was calls or plain content. Not thread-safe (one per sequence, inference thread).
 */
final class ToolCallStream {

    private final ToolCallParser parser;
    private final Set<String> offered;
    private final StringBuilder pending = new StringBuilder();
    private boolean released;
    private boolean capturing;

    /**
     * @param offered the names of the offered functions: a parsed call naming another is not a call
     *                (a JSON answer that happens to have a {@code name} field stays content)
     */
    ToolCallStream(ToolCallParser parser, Set<String> offered) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.offered = Set.copyOf(offered);
    }

    /** Adds generated text; returns what may go to the client as content now. */
    String push(String delta) {
        pending.append(delta);
        if (capturing) {
            return "";
        }
        String text = pending.toString();
        boolean atStart = !released;
        int at = Math.max(0, Math.min(parser.holdFrom(text, atStart), text.length()));
        capturing = parser.callStarted(text, atStart);
        String emit = text.substring(0, at);
        pending.delete(0, at);
        released |= !emit.isEmpty();
        return emit;
    }

    /** The end of the sequence: the held text as calls, or as the content it turned out to be. */
    ToolCallParser.Parsed finish() {
        String text = pending.toString();
        pending.setLength(0);
        if (!capturing) {
            return new ToolCallParser.Content(text);
        }
        ToolCallParser.Parsed parsed = parser.parse(text);
        if (parsed instanceof ToolCallParser.Calls calls
                && !calls.calls().stream().allMatch(c -> offered.contains(c.name()))) {
            return new ToolCallParser.Content(text);
        }
        return parsed;
    }
}
