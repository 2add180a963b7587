package io.steerguard.api.responses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import io.steerguard.api.AnswerFormat;
import io.steerguard.api.OpenAiError;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.ToolCall;
import io.steerguard.runtime.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Writes one answer of the Responses API: the {@code response} object, or its server-sent events
 * ({@code event:} line, JSON with {@code type} and a {@code sequence_number} counting from 0).
 * A stream opens with {@code response.created} and {@code response.in_progress}; each output item
 * (an assistant message, or a function call) is opened with {@code response.output_item.added},
 * filled ({@code response.content_part.added} and {@code response.output_text.delta}s, or
 * {@code response.function_call_arguments.delta}s), and closed ({@code output_text.done},
 * {@code content_part.done} / {@code function_call_arguments.done}, then {@code output_item.done})
 * before the next opens; the stream ends with {@code response.completed}, or
 * {@code response.incomplete} when the token budget ran out. A failure after the stream started is
 * an {@code error} event followed by {@code response.failed}. No {@code [DONE]}.
 *
 * <p>Not thread-safe: the responder calls it on the request's event loop, in order.
 */
final class ResponsesFormat implements AnswerFormat {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private final ResponseObject response;
    private final String requestId;
    private int sequence;
    private boolean started;
    /** The closed items, in output order. */
    private final List<OutputItem> closed = new ArrayList<>();
    /** The item being generated, or {@code null}. */
    private OpenItem open;

    ResponsesFormat(ResponsesRequest request, String requestId, long createdSeconds) {
        this.response = new ResponseObject(request, "resp_" + requestId, createdSeconds);
        this.requestId = requestId;
    }

    @Override
    public Buffer deltaEvent(int choice, String delta, boolean first, List<GenerationEvent.Token> logprobTokens) {
        if (choice != 0) {
            return Buffer.buffer(); // the Responses API has one choice
        }
        Buffer out = start();
        if (!delta.isEmpty()) {
            // a token that completes no character sends nothing: OpenAI never sends an empty delta
            if (!(open instanceof OpenItem.Message)) {
                close(out, OutputItem.Status.COMPLETED);
                openMessage(out);
            }
            OpenItem.Message message = (OpenItem.Message) open;
            message.text.append(delta);
            out.appendBuffer(event("response.output_text.delta", g -> {
                textPosition(g, message);
                g.writeStringField("delta", delta);
                g.writeArrayFieldStart("logprobs");
                g.writeEndArray();
            }));
        }
        return out;
    }

    @Override
    public Buffer toolCallEvent(GenerationEvent.ToolCallDelta delta, boolean first) {
        if (delta.choice() != 0) {
            return Buffer.buffer(); // the Responses API has one choice
        }
        Buffer out = start();
        if (!(open instanceof OpenItem.Call call && call.runtimeIndex == delta.index())) {
            close(out, OutputItem.Status.COMPLETED);
            int index = closed.size();
            OpenItem.Call opened = new OpenItem.Call(index, "fc_" + requestId + "_" + index, delta.index(),
                    delta.id() != null ? delta.id() : "call_" + requestId + "_" + index,
                    delta.name() != null ? delta.name() : "");
            open = opened;
            out.appendBuffer(event("response.output_item.added", g -> {
                g.writeNumberField("output_index", opened.index);
                g.writeFieldName("item");
                ResponseObject.writeItem(g, opened.item(OutputItem.Status.IN_PROGRESS));
            }));
        }
        OpenItem.Call call = (OpenItem.Call) open;
        if (!delta.arguments().isEmpty()) {
            call.arguments.append(delta.arguments());
            out.appendBuffer(event("response.function_call_arguments.delta", g -> {
                g.writeStringField("item_id", call.id);
                g.writeNumberField("output_index", call.index);
                g.writeStringField("delta", delta.arguments());
            }));
        }
        return out;
    }

    /** Never called: a Responses request has one choice, and one choice is not ended on its own. */
    @Override
    public Buffer finishEvent(int choice, FinishReason reason) {
        return Buffer.buffer();
    }

    @Override
    public Buffer streamEnd(boolean choicesFinished, FinishReason reason, Usage usage) {
        Buffer out = start();
        if (open == null && closed.isEmpty()) {
            openMessage(out); // nothing was generated: still one (empty) message, as OpenAI answers
        }
        close(out, itemStatus(reason));
        ResponseObject.Snapshot done = finished(closed, reason, usage);
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
        List<OutputItem> output = new ArrayList<>(closed);
        if (open != null) {
            output.add(open.item(OutputItem.Status.INCOMPLETE));
        }
        ResponseObject.Snapshot failed = new ResponseObject.Snapshot(ResponseObject.Status.FAILED, output, null, null,
                error);
        return out.appendBuffer(event("response.failed", g -> snapshot(g, failed)));
    }

    /** Non-streamed: the message (when there is text, or nothing else), then the function calls. */
    @Override
    public Buffer completeResponse(List<Choice> choices, Usage usage) {
        Choice answer = choices.get(0);
        FinishReason reason = answer.reason() != null ? answer.reason() : FinishReason.STOP;
        List<OutputItem> output = new ArrayList<>();
        List<ToolCall> calls = answer.toolCalls();
        if (!answer.text().isEmpty() || calls.isEmpty()) {
            output.add(new OutputItem.Message("msg_" + requestId, calls.isEmpty() ? itemStatus(reason)
                    : OutputItem.Status.COMPLETED, answer.text()));
        }
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            int index = output.size();
            output.add(new OutputItem.FunctionCall("fc_" + requestId + "_" + index, i == calls.size() - 1
                    ? itemStatus(reason) : OutputItem.Status.COMPLETED,
                    call.id().isEmpty() ? "call_" + requestId + "_" + index : call.id(), call.name(), call.arguments()));
        }
        ResponseObject.Snapshot done = finished(output, reason, usage);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        write(out, g -> response.write(g, done));
        return Buffer.buffer(out.toByteArray());
    }

    private Buffer start() {
        Buffer out = Buffer.buffer(started ? 256 : 4096);
        if (!started) {
            started = true;
            ResponseObject.Snapshot begun = new ResponseObject.Snapshot(ResponseObject.Status.IN_PROGRESS, List.of(),
                    null, null, null);
            out.appendBuffer(event("response.created", g -> snapshot(g, begun)));
            out.appendBuffer(event("response.in_progress", g -> snapshot(g, begun)));
        }
        return out;
    }

    private void openMessage(Buffer out) {
        int index = closed.size();
        OpenItem.Message message = new OpenItem.Message(index, index == 0 ? "msg_" + requestId
                : "msg_" + requestId + "_" + index);
        open = message;
        out.appendBuffer(event("response.output_item.added", g -> {
            g.writeNumberField("output_index", index);
            g.writeFieldName("item");
            ResponseObject.writeItem(g, new OutputItem.Message(message.id, OutputItem.Status.IN_PROGRESS, null));
        }));
        out.appendBuffer(event("response.content_part.added", g -> {
            textPosition(g, message);
            g.writeFieldName("part");
            ResponseObject.writeTextPart(g, "");
        }));
    }

    /** Sends the open item's closing events, with {@code status}; nothing when no item is open. */
    private void close(Buffer out, OutputItem.Status status) {
        if (open == null) {
            return;
        }
        OpenItem item = open;
        open = null;
        OutputItem done = item.item(status);
        if (item instanceof OpenItem.Message message) {
            String text = message.text.toString();
            out.appendBuffer(event("response.output_text.done", g -> {
                textPosition(g, message);
                g.writeStringField("text", text);
                g.writeArrayFieldStart("logprobs");
                g.writeEndArray();
            }));
            out.appendBuffer(event("response.content_part.done", g -> {
                textPosition(g, message);
                g.writeFieldName("part");
                ResponseObject.writeTextPart(g, text);
            }));
        } else if (item instanceof OpenItem.Call call) {
            out.appendBuffer(event("response.function_call_arguments.done", g -> {
                g.writeStringField("item_id", call.id);
                g.writeNumberField("output_index", call.index);
                g.writeStringField("name", call.name);
                g.writeStringField("arguments", call.arguments.toString());
            }));
        }
        out.appendBuffer(event("response.output_item.done", g -> {
            g.writeNumberField("output_index", item.index());
            g.writeFieldName("item");
            ResponseObject.writeItem(g, done);
        }));
        closed.add(done);
    }

    private static OutputItem.Status itemStatus(FinishReason reason) {
        return reason == FinishReason.LENGTH || reason == FinishReason.CONTENT_FILTER ? OutputItem.Status.INCOMPLETE
                : OutputItem.Status.COMPLETED;
    }

    private static ResponseObject.Snapshot finished(List<OutputItem> output, FinishReason reason, Usage usage) {
        String incomplete = switch (reason) {
            case STOP, TOOL_CALLS -> null;
            case LENGTH -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
        };
        return new ResponseObject.Snapshot(incomplete == null ? ResponseObject.Status.COMPLETED
                : ResponseObject.Status.INCOMPLETE, output, incomplete, usage, null);
    }

    private void snapshot(JsonGenerator g, ResponseObject.Snapshot s) throws IOException {
        g.writeFieldName("response");
        response.write(g, s);
    }

    private static void textPosition(JsonGenerator g, OpenItem.Message message) throws IOException {
        g.writeStringField("item_id", message.id);
        g.writeNumberField("output_index", message.index);
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
