package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields SteerGuard needs from one OpenAI streaming chunk ({@code chat.completion.chunk} or
 * {@code text_completion}), decoded with Jackson's streaming parser straight from the event bytes.
 * One instance is reused for every event of an exchange, so a token costs its text and nothing else.
 *
 * <p>Read, for every choice (n > 1) and mirrored for the first in the scalar fields:
 * {@code choices[i].index}, {@code choices[i].delta.tool_calls[]} (chat),
 * {@code choices[0].delta.content} (chat) or {@code choices[0].text} (completions),
 * {@code choices[0].finish_reason}, the token log-probabilities of {@code choices[0].logprobs}
 * (chat: {@code content[].logprob}; completions: {@code token_logprobs[]}; several tokens in one
 * chunk are summed, which is the log-probability of the whole delta), {@code usage}, and an error
 * object ({@code {"error": {...}}}, or vLLM's older top-level {@code {"object": "error", ...}}).
 * Everything else is skipped without building a tree.
 */
final class StreamChunk {

    /** Choice 0's text delta, finish reason and log-probabilities: the first choice of the chunk. */
    String content;
    String finishReason;
    double logprobSum;
    int logprobCount;
    /**
     * Every choice of the chunk in order ({@code choices[0..choiceCount)}), each with its {@code index},
     * content, finish reason, log-probability and {@code delta.tool_calls}; the objects are reused from
     * chunk to chunk. {@link #content} and friends are {@code choices[0]}'s, for callers that read one.
     */
    Choice[] choices = new Choice[] {new Choice()};
    int choiceCount;
    int promptTokens;
    int completionTokens;
    String error;

    private boolean errorObject;
    private String topLevelMessage;

    void reset() {
        choiceCount = 0;
        content = null;
        finishReason = null;
        logprobSum = 0;
        logprobCount = 0;
        promptTokens = -1;
        completionTokens = -1;
        error = null;
        errorObject = false;
        topLevelMessage = null;
    }

    boolean hasUsage() {
        return promptTokens >= 0 || completionTokens >= 0;
    }

    /** The delta's log-probability, or {@code NaN} when the chunk carried none. */
    double logprob() {
        return logprobCount == 0 ? Double.NaN : logprobSum;
    }

    /**
     * Decodes one event's data.
     *
     * @throws IOException when the bytes are not one JSON object (the message says where)
     */
    void decode(JsonFactory factory, byte[] bytes, int offset, int length) throws IOException {
        reset();
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "choices" -> readChoices(p, value);
                    case "usage" -> readUsage(p, value);
                    case "error" -> readError(p, value);
                    case "object" -> errorObject = value == JsonToken.VALUE_STRING && "error".equals(p.getText());
                    case "message" -> topLevelMessage = value == JsonToken.VALUE_STRING ? p.getText() : topLevelMessage;
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("unexpected content after the JSON object");
            }
        }
        if (errorObject && error == null) {
            error = topLevelMessage != null ? topLevelMessage : "upstream reported an error";
        }
    }

    private void readChoices(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        // every choice: with n > 1 an upstream may put several in one chunk (OpenAI sends one per chunk)
        JsonToken t = p.nextToken();
        while (t != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.START_OBJECT) {
                readChoice(p);
            } else {
                p.skipChildren();
            }
            t = p.nextToken();
        }
    }

    private void readChoice(JsonParser p) throws IOException {
        // the shared scalar fields collect this choice, then move into its Choice
        String outerContent = content;
        String outerFinish = finishReason;
        double outerSum = logprobSum;
        int outerCount = logprobCount;
        content = null;
        finishReason = null;
        logprobSum = 0;
        logprobCount = 0;
        Choice choice = nextChoice();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> choice.index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : choice.index;
                case "delta" -> readDelta(p, value, choice);
                case "text" -> content = value == JsonToken.VALUE_STRING ? p.getText() : content;
                case "finish_reason" -> finishReason = value == JsonToken.VALUE_STRING ? p.getText() : finishReason;
                case "logprobs" -> readLogprobs(p, value);
                default -> p.skipChildren();
            }
        }
        choice.content = content;
        choice.finishReason = finishReason;
        choice.logprob = logprobCount == 0 ? Double.NaN : logprobSum;
        if (choiceCount > 1) {
            content = outerContent;
            finishReason = outerFinish;
            logprobSum = outerSum;
            logprobCount = outerCount;
        }
    }

    private Choice nextChoice() {
        if (choiceCount == choices.length) {
            choices = java.util.Arrays.copyOf(choices, choices.length * 2);
        }
        Choice c = choices[choiceCount];
        if (c == null) {
            c = new Choice();
            choices[choiceCount] = c;
        }
        c.reset(choiceCount);
        choiceCount++;
        return c;
    }

    /** One choice of a chunk. */
    static final class Choice {
        /** The choice's {@code index}; its position in the array when the upstream omits it. */
        int index;
        String content;
        String finishReason;
        /** The delta's log-probability, or {@code NaN}. */
        double logprob;
        /** {@code delta.tool_calls}, in order; empty for most chunks (allocated only when present). */
        java.util.List<ToolCallPart> toolCalls = java.util.List.of();

        void reset(int position) {
            index = position;
            content = null;
            finishReason = null;
            logprob = Double.NaN;
            toolCalls = java.util.List.of();
        }
    }

    /**
     * One element of {@code delta.tool_calls}: {@code {"index", "id"?, "type"?, "function": {"name"?,
     * "arguments"?}}}, as OpenAI and vLLM stream them.
     */
    record ToolCallPart(int index, String id, String name, String arguments) {
    }

    private void readDelta(JsonParser p, JsonToken value, Choice choice) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("content") && v == JsonToken.VALUE_STRING) {
                content = p.getText();
            } else if (field.equals("tool_calls") && v == JsonToken.START_ARRAY) {
                choice.toolCalls = readToolCalls(p);
            } else {
                p.skipChildren();
            }
        }
    }

    private static java.util.List<ToolCallPart> readToolCalls(JsonParser p) throws IOException {
        java.util.List<ToolCallPart> out = new java.util.ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int index = out.size();
            String id = null;
            String name = null;
            String arguments = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                if (f.equals("index") && fv == JsonToken.VALUE_NUMBER_INT) {
                    index = p.getIntValue();
                } else if (f.equals("id") && fv == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if (f.equals("function") && fv == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.currentName();
                        JsonToken gv = p.nextToken();
                        if (g.equals("name") && gv == JsonToken.VALUE_STRING) {
                            name = p.getText();
                        } else if (g.equals("arguments") && gv == JsonToken.VALUE_STRING) {
                            arguments = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            out.add(new ToolCallPart(index, id, name, arguments));
        }
        return out;
    }

    private void readLogprobs(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("content") && v == JsonToken.START_ARRAY) {
                // chat: [{"token": ..., "logprob": -0.1, "bytes": [...], "top_logprobs": [...]}, ...]
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken fv = p.nextToken();
                        if (f.equals("logprob") && fv.isNumeric()) {
                            addLogprob(p.getDoubleValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } else if (field.equals("token_logprobs") && v == JsonToken.START_ARRAY) {
                // completions: [-0.1, -2.3, ...]
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    if (t.isNumeric()) {
                        addLogprob(p.getDoubleValue());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private void addLogprob(double lp) {
        logprobSum += lp;
        logprobCount++;
    }

    private void readUsage(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("prompt_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                promptTokens = Math.max(0, p.getIntValue());
            } else if (field.equals("completion_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                completionTokens = Math.max(0, p.getIntValue());
            } else {
                p.skipChildren();
            }
        }
    }

    private void readError(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value == JsonToken.VALUE_STRING) {
            error = p.getText();
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            error = "upstream reported an error";
            return;
        }
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("message") && v == JsonToken.VALUE_STRING) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        error = message != null ? message : "upstream reported an error";
    }
}
