package io.steerguard.api;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.ToolCall;

/**
 * The choices of one answer as they build up: which have started streaming (their first chunk
 * carries the role), and, for a non-streamed answer, each choice's text, log-probabilities, tool
 * calls (deltas merged by call index, arguments concatenated) and finish reason.
 */
final class AnswerChoices {

    /** One choice's answer so far. */
    static final class Choice {
        final int index;
        final StringBuilder text = new StringBuilder();
        final List<GenerationEvent.Token> logprobTokens;
        final TreeMap<Integer, CallBuilder> calls = new TreeMap<>();
        boolean started;
        FinishReason reason;

        Choice(int index, boolean logprobs) {
            this.index = index;
            this.logprobTokens = logprobs ? new ArrayList<>() : null;
        }

        /** What a format writes of this choice. */
        AnswerFormat.Choice view() {
            return new AnswerFormat.Choice(index, text.toString(), logprobTokens, toolCalls(), reason);
        }

        /** The calls in index order; a call the runtime never named gets no entry (it cannot be answered). */
        List<ToolCall> toolCalls() {
            List<ToolCall> out = new ArrayList<>(calls.size());
            for (CallBuilder b : calls.values()) {
                if (b.name != null) {
                    out.add(new ToolCall(b.id == null ? "" : b.id, b.name, b.arguments.toString()));
                }
            }
            return out;
        }
    }

    /** A tool call assembled from its deltas. */
    static final class CallBuilder {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final boolean logprobs;
    private final List<Choice> choices = new ArrayList<>(1);

    AnswerChoices(boolean logprobs) {
        this.logprobs = logprobs;
    }

    Choice get(int index) {
        while (choices.size() <= index) {
            choices.add(new Choice(choices.size(), logprobs));
        }
        return choices.get(index);
    }

    /** Every choice, at least choice 0. */
    List<Choice> all() {
        get(0);
        return choices;
    }

    /** Every choice as a format sees it, at least choice 0. */
    List<AnswerFormat.Choice> views() {
        return all().stream().map(Choice::view).toList();
    }

    void addToolCall(GenerationEvent.ToolCallDelta d) {
        CallBuilder b = get(d.choice()).calls.computeIfAbsent(d.index(), i -> new CallBuilder());
        if (d.id() != null) {
            b.id = d.id();
        }
        if (d.name() != null) {
            b.name = d.name();
        }
        b.arguments.append(d.arguments());
    }
}
