package io.steerguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Writes OpenAI response bodies and server-sent-event chunks for one request, byte for byte in
 * OpenAI's field order, so clients that parse strictly (or compare fixtures) see what they expect.
 */
final class ResponseFormat implements AnswerFormat {

    /** Emoji and other non-BMP characters go out as UTF-8 bytes, not as escaped surrogate pairs. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final Operation operation;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;

    ResponseFormat(Operation operation, String id, long created, String model, boolean includeUsage) {
        this.operation = operation;
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    boolean includeUsage() {
        return includeUsage;
    }

    /** A streamed chunk carrying {@code text}; the first chat chunk also carries the assistant role. */
    @Override
    public Buffer deltaEvent(String text, boolean first, List<GenerationEvent.Token> logprobTokens) {
        return deltaEvent(0, text, first, logprobTokens);
    }

    /** A streamed chunk of choice {@code choice} carrying {@code text}; its first chat chunk also carries the role. */
    @Override
    public Buffer deltaEvent(int choice, String text, boolean first, List<GenerationEvent.Token> logprobTokens) {
        return event(g -> {
            head(g, operation.chunkObject());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            chunkChoice(g, choice, text, first);
            logprobs(g, logprobTokens, 0);
            g.writeNullField("finish_reason");
            g.writeEndObject();
            g.writeEndArray();
            usageNull(g);
        });
    }

    /** The finish chunk (unless every choice sent its own), the usage chunk when asked for, and {@code [DONE]}. */
    @Override
    public Buffer streamEnd(boolean choicesFinished, FinishReason reason, Usage usage) {
        Buffer tail = choicesFinished ? Buffer.buffer() : finishEvent(reason);
        if (includeUsage) {
            tail.appendBuffer(usageEvent(usage));
        }
        return tail.appendBuffer(DONE);
    }

    /** The chunk that carries the finish reason and an empty delta. */
    Buffer finishEvent(FinishReason reason) {
        return finishEvent(0, reason);
    }

    /** The chunk that carries choice {@code choice}'s finish reason and an empty delta. */
    @Override
    public Buffer finishEvent(int choice, FinishReason reason) {
        return event(g -> {
            head(g, operation.chunkObject());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            chunkChoice(g, choice, null, false);
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", reason.openAiName());
            g.writeEndObject();
            g.writeEndArray();
            usageNull(g);
        });
    }

    /** The last chunk when {@code stream_options.include_usage} is set: no choices, just usage. */
    Buffer usageEvent(Usage usage) {
        return event(g -> {
            head(g, operation.chunkObject());
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage(g, usage);
        });
    }

    /** An error after the stream has started: the status is already 200, so the error travels as an event. */
    @Override
    public Buffer errorEvent(OpenAiError error) {
        Buffer b = Buffer.buffer(DATA);
        b.appendBytes(error.toJsonBytes());
        return b.appendBytes(EVENT_END);
    }

    /**
     * A chat chunk with one tool-call delta, as OpenAI streams them: the call's first delta carries
     * {@code id}, {@code type} and {@code function.name} (and the choice's first chunk the role with
     * {@code "content": null}); later ones only {@code function.arguments}.
     */
    @Override
    public Buffer toolCallEvent(GenerationEvent.ToolCallDelta d, boolean first) {
        return event(g -> {
            head(g, operation.chunkObject());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", d.choice());
            g.writeObjectFieldStart("delta");
            if (first) {
                g.writeStringField("role", "assistant");
                g.writeNullField("content");
            }
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", d.index());
            if (d.id() != null) {
                g.writeStringField("id", d.id());
                g.writeStringField("type", "function");
            }
            g.writeObjectFieldStart("function");
            if (d.name() != null) {
                g.writeStringField("name", d.name());
            }
            g.writeStringField("arguments", d.arguments());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeNullField("finish_reason");
            g.writeEndObject();
            g.writeEndArray();
            usageNull(g);
        });
    }

    /** The complete non-streamed response of one choice without tool calls. */
    Buffer completeResponse(String text, FinishReason reason, Usage usage, List<GenerationEvent.Token> logprobTokens) {
        AnswerChoices choices = new AnswerChoices(logprobTokens != null);
        AnswerChoices.Choice c = choices.get(0);
        c.text.append(text);
        if (logprobTokens != null) {
            c.logprobTokens.addAll(logprobTokens);
        }
        c.reason = reason;
        return completeResponse(choices.views(), usage);
    }

    /**
     * The complete non-streamed response: every choice in index order; a chat choice that called tools
     * has {@code message.tool_calls} and {@code "content": null} when it wrote no text (OpenAI's shape).
     */
    @Override
    public Buffer completeResponse(List<AnswerFormat.Choice> choices, Usage usage) {
        return json(g -> {
            head(g, operation.object());
            g.writeArrayFieldStart("choices");
            for (AnswerFormat.Choice c : choices) {
                g.writeStartObject();
                String text = c.text();
                if (operation == Operation.CHAT) {
                    g.writeNumberField("index", c.index());
                    g.writeObjectFieldStart("message");
                    g.writeStringField("role", "assistant");
                    List<ToolCall> calls = c.toolCalls();
                    if (!calls.isEmpty() && text.isEmpty()) {
                        g.writeNullField("content");
                    } else {
                        g.writeStringField("content", text);
                    }
                    if (!calls.isEmpty()) {
                        g.writeArrayFieldStart("tool_calls");
                        for (ToolCall call : calls) {
                            g.writeStartObject();
                            g.writeStringField("id", call.id());
                            g.writeStringField("type", "function");
                            g.writeObjectFieldStart("function");
                            g.writeStringField("name", call.name());
                            g.writeStringField("arguments", call.arguments());
                            g.writeEndObject();
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    g.writeNullField("refusal");
                    g.writeEndObject();
                } else {
                    g.writeStringField("text", text);
                    g.writeNumberField("index", c.index());
                }
                logprobs(g, c.logprobTokens(), 0);
                g.writeStringField("finish_reason", (c.reason() == null ? FinishReason.STOP : c.reason()).openAiName());
                g.writeEndObject();
            }
            g.writeEndArray();
            usage(g, usage);
        });
    }

    /**
     * The start of a streamed choice: chat chunks carry a {@code delta} (empty in the finish chunk,
     * with the role in the first), completion chunks a {@code text} ("" in the finish chunk).
     */
    private void chunkChoice(JsonGenerator g, int choice, String text, boolean first) throws IOException {
        if (operation == Operation.CHAT) {
            g.writeNumberField("index", choice);
            g.writeObjectFieldStart("delta");
            if (first) {
                g.writeStringField("role", "assistant");
            }
            if (text != null) {
                g.writeStringField("content", text);
            }
            g.writeEndObject();
        } else {
            g.writeStringField("text", text == null ? "" : text);
            g.writeNumberField("index", choice);
        }
    }

    private void head(JsonGenerator g, String object) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("object", object);
        g.writeNumberField("created", created);
        g.writeStringField("model", model);
    }

    private void usageNull(JsonGenerator g) throws IOException {
        if (includeUsage) {
            g.writeNullField("usage");
        }
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", usage.promptTokens());
        g.writeNumberField("completion_tokens", usage.completionTokens());
        g.writeNumberField("total_tokens", usage.totalTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Chat: {@code {"content":[{"token","logprob","bytes","top_logprobs"}]}}; completions: parallel arrays. */
    private void logprobs(JsonGenerator g, List<GenerationEvent.Token> tokens, int textOffset) throws IOException {
        if (tokens == null) {
            g.writeNullField("logprobs");
            return;
        }
        g.writeObjectFieldStart("logprobs");
        if (operation == Operation.CHAT) {
            g.writeArrayFieldStart("content");
            for (GenerationEvent.Token t : tokens) {
                g.writeStartObject();
                g.writeStringField("token", t.text());
                g.writeNumberField("logprob", t.logprob());
                g.writeArrayFieldStart("bytes");
                for (byte b : t.text().getBytes(StandardCharsets.UTF_8)) {
                    g.writeNumber(b & 0xff);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("top_logprobs");
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            g.writeArrayFieldStart("tokens");
            for (GenerationEvent.Token t : tokens) {
                g.writeString(t.text());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("token_logprobs");
            for (GenerationEvent.Token t : tokens) {
                g.writeNumber(t.logprob());
            }
            g.writeEndArray();
            g.writeNullField("top_logprobs");
            g.writeArrayFieldStart("text_offset");
            int offset = textOffset;
            for (GenerationEvent.Token t : tokens) {
                g.writeNumber(offset);
                offset += t.text().length();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static Buffer event(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(DATA);
        write(out, body);
        out.writeBytes(EVENT_END);
        return Buffer.buffer(out.toByteArray());
    }

    private static Buffer json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, body);
        return Buffer.buffer(out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, Body body) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
