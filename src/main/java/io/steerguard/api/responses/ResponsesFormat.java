package io.steerguard.api.responses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import io.steerguard.api.AnswerFormat;
import io.steerguard.api.OpenAiError;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Writes one answer of the Responses API: the {@code response} object, or its server-sent events
 * ({@code event:} line, JSON with {@code type} and a {@code sequence_number} counting from 0):
 * {@code response.created}, {@code response.in_progress}, {@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta} per piece of text, then
 * {@code response.output_text.done}, {@code response.content_part.done}, {@code response.output_item.done}
 * and {@code response.completed} (or {@code response.incomplete} when the token budget ran out). A
 * failure after the stream started is an {@code error} event followed by {@code response.failed}.
 * No {@code [DONE]}: the Responses API ends with its terminal event.
 *
 * <p>Not thread-safe: {@link io.steerguard.api.GenerationResponder} calls it on the request's event loop.
 */
final class ResponsesFormat implements AnswerFormat {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private final ResponseObject response;
    private final String messageId;
    private final StringBuilder text = new StringBuilder();
    private int sequence;

    ResponsesFormat(ResponsesRequest request, String requestId, long createdSeconds) {
        this.response = new ResponseObject(request, "resp_" + requestId, createdSeconds);
        this.messageId = "msg_" + requestId;
    }

    @Override
    public Buffer deltaEvent(String delta, boolean first, List<GenerationEvent.Token> logprobTokens) {
        Buffer out = Buffer.buffer(first ? 4096 : 256);
        if (first) {
            ResponseObject.Snapshot started = new ResponseObject.Snapshot(ResponseObject.Status.IN_PROGRESS,
                    List.of(), null, null, null);
            out.appendBuffer(event("response.created", g -> snapshot(g, started)));
            out.appendBuffer(event("response.in_progress", g -> snapshot(g, started)));
            out.appendBuffer(event("response.output_item.added", g -> {
                g.writeNumberField("output_index", 0);
                g.writeFieldName("item");
                ResponseObject.writeItem(g, new OutputItem.Message(messageId, OutputItem.Status.IN_PROGRESS, null));
            }));
            out.appendBuffer(event("response.content_part.added", g -> {
                textPosition(g);
                g.writeFieldName("part");
                ResponseObject.writeTextPart(g, "");
            }));
        }
        if (!delta.isEmpty()) {
            // a token that completes no character sends nothing: OpenAI never sends an empty delta
            text.append(delta);
            out.appendBuffer(event("response.output_text.delta", g -> {
                textPosition(g);
                g.writeStringField("delta", delta);
                g.writeArrayFieldStart("logprobs");
                g.writeEndArray();
            }));
        }
        return out;
    }

    @Override
    public Buffer streamEnd(FinishReason reason, Usage usage) {
        String full = text.toString();
        OutputItem.Message message = message(full, reason);
        Buffer out = Buffer.buffer(4096);
        out.appendBuffer(event("response.output_text.done", g -> {
            textPosition(g);
            g.writeStringField("text", full);
            g.writeArrayFieldStart("logprobs");
            g.writeEndArray();
        }));
        out.appendBuffer(event("response.content_part.done", g -> {
            textPosition(g);
            g.writeFieldName("part");
            ResponseObject.writeTextPart(g, full);
        }));
        out.appendBuffer(event("response.output_item.done", g -> {
            g.writeNumberField("output_index", 0);
            g.writeFieldName("item");
            ResponseObject.writeItem(g, message);
        }));
        ResponseObject.Snapshot done = finished(message, reason, usage);
        String type = done.status() == ResponseObject.Status.COMPLETED ? "response.completed" : "response.incomplete";
        return out.appendBuffer(event(type, g -> snapshot(g, done)));
    }

    @Override
    public Buffer errorEvent(OpenAiError error) {
        Buffer out = event("error", g -> {
            nullable(g, "code", error.code());
            g.writeStringField("message", error.message());
            nullable(g, "param", error.param());
        });
        OutputItem.Message partial = new OutputItem.Message(messageId, OutputItem.Status.INCOMPLETE, text.toString());
        ResponseObject.Snapshot failed = new ResponseObject.Snapshot(ResponseObject.Status.FAILED, List.of(partial),
                null, null, error);
        return out.appendBuffer(event("response.failed", g -> snapshot(g, failed)));
    }

    @Override
    public Buffer completeResponse(String full, FinishReason reason, Usage usage,
                                   List<GenerationEvent.Token> logprobTokens) {
        ResponseObject.Snapshot done = finished(message(full, reason), reason, usage);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        write(out, g -> response.write(g, done));
        return Buffer.buffer(out.toByteArray());
    }

    private OutputItem.Message message(String full, FinishReason reason) {
        return new OutputItem.Message(messageId, reason == FinishReason.STOP ? OutputItem.Status.COMPLETED
                : OutputItem.Status.INCOMPLETE, full);
    }

    private static ResponseObject.Snapshot finished(OutputItem.Message message, FinishReason reason, Usage usage) {
        String incomplete = switch (reason) {
            case STOP -> null;
            case LENGTH -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
        };
        return new ResponseObject.Snapshot(incomplete == null ? ResponseObject.Status.COMPLETED
                : ResponseObject.Status.INCOMPLETE, List.of(message), incomplete, usage, null);
    }

    private void snapshot(JsonGenerator g, ResponseObject.Snapshot s) throws IOException {
        g.writeFieldName("response");
        response.write(g, s);
    }

    private void textPosition(JsonGenerator g) throws IOException {
        g.writeStringField("item_id", messageId);
        g.writeNumberField("output_index", 0);
        g.writeNumberField("content_index", 0);
    }

    private static void nullable(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        } else {
            g.writeNullField(field);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** One server-sent event: {@code event: type}, and the JSON with its type and sequence number first. */
    private Buffer event(String type, Body body) {
        int number = sequence++;
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        write(out, g -> {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeNumberField("sequence_number", number);
            body.write(g);
            g.writeEndObject();
        });
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
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
