package io.steerguard.runtime.remote;

import io.steerguard.steering.easysteer.EasySteerRequests;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.Delivery;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Builds the upstream request: which endpoint, and the JSON body, written straight into a buffer
 * with Jackson's generator (no intermediate tree).
 *
 * <p>Body: {@code model} (the configured upstream name), {@code messages} for
 * {@code /chat/completions} or {@code prompt} (a string, or a token-id array for pre-tokenised input)
 * for {@code /completions}; {@code max_tokens}, {@code temperature}, {@code top_p}; {@code top_k}
 * only when above 0 (an extension vLLM, llama.cpp and TGI accept, strict OpenAI servers may not);
 * {@code seed} when set; {@code stop} when non-empty; {@code n}, {@code presence_penalty},
 * {@code frequency_penalty} and {@code logit_bias} when not their defaults; for chat, {@code tools},
 * {@code tool_choice} and {@code parallel_tool_calls} as the client sent them and the history's
 * {@code tool_calls} / {@code tool_call_id} ({@link UpstreamTools}); {@code logprobs} when asked
 * ({@code true} for chat, {@code 1} for completions, the two endpoints' spellings);
 * {@code "stream": true} with {@code "stream_options": {"include_usage": true}} so usage arrives as a
 * last chunk, or, for a {@link Delivery#WHOLE} request, {@code "stream": false} without
 * {@code stream_options} (vLLM rejects stream options on a non-streamed request); and for EasySteer
 * the {@code steering} field ({@link EasySteerRequests}).
 *
 * <p>Why a whole-answer request asks for one JSON body: the gateway bench
 * ({@code src/test/bench/gateway-bench.sh}, docs/bench/gateway.md) shows the non-streamed client
 * path costing less gateway CPU per request against a JSON upstream than against an event stream
 * of the same answer, and the gap grows with every token (one JSON decode instead of one per
 * token). The gateway asks for it only when nothing downstream counts tokens: no mirroring, no
 * per-token log-probabilities.
 */
final class UpstreamRequests {

    static final String CHAT_PATH = "/chat/completions";
    static final String COMPLETIONS_PATH = "/completions";

    private UpstreamRequests() {
    }

    /** The endpoint (relative to the base path) for a prompt. */
    static String endpoint(Prompt prompt) {
        return prompt instanceof Prompt.Chat ? CHAT_PATH : COMPLETIONS_PATH;
    }

    /**
     * Why this runtime cannot serve a request, or empty. Checked before anything is sent.
     */
    static Optional<RuntimeFault> reject(RemoteRuntimeOptions options, GenerationRequest request) {
        if (!request.introspection().isNone()) {
            return Optional.of(new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED, "runtime '" + options.name()
                    + "' is remote and cannot capture activations or first-token distributions"));
        }
        if (request.steering().isNone()) {
            return Optional.empty();
        }
        if (options.flavor() == RemoteRuntimeOptions.Flavor.OPENAI) {
            return Optional.of(new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED, "runtime '" + options.name()
                    + "' is a plain OpenAI-compatible server and cannot apply steering vectors"));
        }
        return EasySteerRequests.validate(request.steering())
                .map(problem -> new RuntimeFault(RuntimeFault.Kind.UNSUPPORTED,
                        "runtime '" + options.name() + "': " + problem));
    }

    /** Writes the JSON body. Call only for a request {@link #reject} accepted. */
    static Buffer body(JsonFactory json, RemoteRuntimeOptions options, GenerationRequest request) throws IOException {
        ByteBuf out = Unpooled.buffer(512);
        try (JsonGenerator g = json.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("model", options.upstreamModel());
            Prompt prompt = request.prompt();
            boolean chat = prompt instanceof Prompt.Chat;
            if (prompt instanceof Prompt.Chat c) {
                g.writeArrayFieldStart("messages");
                for (ChatMessage m : c.messages()) {
                    UpstreamTools.writeMessage(g, m);
                }
                g.writeEndArray();
                UpstreamTools.writeTools(g, request.tools());
            } else if (prompt instanceof Prompt.Text t) {
                g.writeStringField("prompt", t.text());
            } else if (prompt instanceof Prompt.Tokens t) {
                int[] ids = t.ids();
                g.writeFieldName("prompt");
                g.writeArray(ids, 0, ids.length);
            }
            SamplingParams s = request.sampling();
            g.writeNumberField("max_tokens", s.maxTokens());
            g.writeNumberField("temperature", s.temperature());
            g.writeNumberField("top_p", s.topP());
            if (s.topK() > 0) {
                g.writeNumberField("top_k", s.topK());
            }
            if (s.seed() != null) {
                g.writeNumberField("seed", s.seed());
            }
            if (!s.stop().isEmpty()) {
                g.writeArrayFieldStart("stop");
                for (String stop : s.stop()) {
                    g.writeString(stop);
                }
                g.writeEndArray();
            }
            if (s.n() != 1) {
                g.writeNumberField("n", s.n());
            }
            if (s.presencePenalty() != 0) {
                g.writeNumberField("presence_penalty", s.presencePenalty());
            }
            if (s.frequencyPenalty() != 0) {
                g.writeNumberField("frequency_penalty", s.frequencyPenalty());
            }
            if (!s.logitBias().isEmpty()) {
                g.writeObjectFieldStart("logit_bias");
                for (var e : s.logitBias().entrySet()) {
                    g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
                }
                g.writeEndObject();
            }
            if (s.logprobs()) {
                if (chat) {
                    g.writeBooleanField("logprobs", true);
                } else {
                    g.writeNumberField("logprobs", 1);
                }
            }
            if (request.delivery() == Delivery.WHOLE) {
                g.writeBooleanField("stream", false);
            } else {
                g.writeBooleanField("stream", true);
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
            if (options.flavor() == RemoteRuntimeOptions.Flavor.EASYSTEER) {
                EasySteerRequests.writeSteeringField(g, request.steering());
            }
            g.writeEndObject();
        }
        return Buffer.buffer(out);
    }
}
