package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.ConnectTimeoutException;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.RuntimeFault.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what can go wrong with an upstream into {@link RuntimeFault}s with short messages that are
 * safe to show a client: they name the runtime, never the upstream's address or whole body (the
 * cause keeps the details for logs).
 */
final class UpstreamFaults {

    /** Longest upstream-provided text carried in a fault message. */
    static final int MAX_MESSAGE_CHARS = 300;

    private UpstreamFaults() {
    }

    /** Obtaining a connection failed (refused, DNS, connect timeout, TLS). */
    static RuntimeFault connectFailure(String runtime, Throwable t) {
        return connectFailure(runtime, t, false);
    }

    /**
     * @param poolSaturated whether more generations were in flight than the pool has connections:
     *                      a timeout then means the wait for a pooled connection ran out (503
     *                      {@code overloaded}), not that the upstream was slow to accept (504)
     */
    static RuntimeFault connectFailure(String runtime, Throwable t, boolean poolSaturated) {
        if (poolSaturated && t instanceof TimeoutException) {
            return new RuntimeFault(Kind.OVERLOADED, "runtime '" + runtime
                    + "': every upstream connection stayed busy for the pool-acquire timeout", t);
        }
        if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
            return new RuntimeFault(Kind.TIMEOUT, "runtime '" + runtime + "': could not connect to the upstream in time", t);
        }
        if (t instanceof ConnectionPoolTooBusyException) {
            return new RuntimeFault(Kind.OVERLOADED, "runtime '" + runtime + "': no upstream connection available", t);
        }
        if (t instanceof UnknownHostException) {
            return new RuntimeFault(Kind.UNAVAILABLE, "runtime '" + runtime + "': the upstream host name does not resolve", t);
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            return new RuntimeFault(Kind.UNAVAILABLE, "runtime '" + runtime + "': the upstream refused the connection", t);
        }
        if (t instanceof SSLException) {
            return new RuntimeFault(Kind.UNAVAILABLE, "runtime '" + runtime + "': TLS handshake with the upstream failed", t);
        }
        return new RuntimeFault(Kind.UNAVAILABLE, "runtime '" + runtime + "': cannot reach the upstream", t);
    }

    /** The connection broke after the request was sent. */
    static RuntimeFault transportFailure(String runtime, Throwable t, boolean midStream) {
        if (t instanceof TimeoutException) {
            return new RuntimeFault(Kind.TIMEOUT, "runtime '" + runtime + "': the upstream timed out", t);
        }
        String what = midStream ? "closed the connection mid-stream" : "closed the connection before answering";
        if (!(t instanceof IOException) && !(t instanceof ClosedChannelException)
                && !t.getClass().getName().startsWith("io.vertx.core.http")) {
            what = midStream ? "failed mid-stream" : "failed before answering";
        }
        return new RuntimeFault(Kind.UPSTREAM_ERROR, "runtime '" + runtime + "': the upstream " + what, 0, t);
    }

    /** The upstream answered with an error status. */
    static RuntimeFault status(String runtime, int status, String statusMessage, Buffer body, JsonFactory json) {
        String upstreamMessage = body == null || body.length() == 0 ? null : messageFromBody(json, body);
        String text = upstreamMessage != null ? upstreamMessage
                : "HTTP " + status + (statusMessage == null || statusMessage.isBlank() ? "" : " " + statusMessage);
        text = clean(text);
        Kind kind = switch (status) {
            case 400, 422 -> Kind.INVALID_REQUEST;
            case 429 -> Kind.OVERLOADED;
            default -> Kind.UPSTREAM_ERROR;
        };
        String message = kind == Kind.INVALID_REQUEST
                ? "runtime '" + runtime + "' rejected the request: " + text
                : "runtime '" + runtime + "': upstream answered " + status + ": " + text;
        return new RuntimeFault(kind, message, status, null);
    }

    /** An {@code error} object inside a 200 event stream. */
    static RuntimeFault streamError(String runtime, String upstreamMessage) {
        return new RuntimeFault(Kind.UPSTREAM_ERROR,
                "runtime '" + runtime + "': upstream reported an error mid-stream: " + clean(upstreamMessage), 200, null);
    }

    /** An {@code error} object as the whole JSON body of a 200 answer. */
    static RuntimeFault answerError(String runtime, String upstreamMessage) {
        return new RuntimeFault(Kind.UPSTREAM_ERROR,
                "runtime '" + runtime + "': upstream answered 200 with an error: " + clean(upstreamMessage), 200, null);
    }

    /** The event stream itself is broken (bad JSON, missing terminator, oversized event). */
    static RuntimeFault protocol(String runtime, String what, Throwable cause) {
        return new RuntimeFault(Kind.UPSTREAM_ERROR, "runtime '" + runtime + "': " + what, 200, cause);
    }

    static RuntimeFault timeout(String runtime, String what) {
        return new RuntimeFault(Kind.TIMEOUT, "runtime '" + runtime + "': " + what);
    }

    /**
     * The human-readable message of an OpenAI-style error body: {@code error.message},
     * {@code error} as a string, a top-level {@code message} (vLLM), or FastAPI's {@code detail}
     * (a string, or the first {@code msg} of a validation list). Null when the body is not such JSON.
     */
    static String messageFromBody(JsonFactory json, Buffer body) {
        byte[] bytes = body.getBytes();
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String message = null;
            String detail = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "error" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            return p.getText();
                        }
                        if (v == JsonToken.START_OBJECT) {
                            String inner = firstString(p, "message");
                            if (inner != null) {
                                return inner;
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "message" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            message = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "detail" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            detail = p.getText();
                        } else if (v == JsonToken.START_ARRAY) {
                            detail = firstDetailMessage(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return message != null ? message : detail;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads the current object to its end, returning the string value of {@code name}. */
    private static String firstString(JsonParser p, String name) throws IOException {
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (found == null && field.equals(name) && v == JsonToken.VALUE_STRING) {
                found = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String firstDetailMessage(JsonParser p) throws IOException {
        String found = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.START_OBJECT) {
                String msg = firstString(p, "msg");
                if (found == null) {
                    found = msg;
                }
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** Strips control characters and bounds the length of upstream text. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_MESSAGE_CHARS + 1));
        for (int i = 0; i < text.length() && sb.length() < MAX_MESSAGE_CHARS; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > MAX_MESSAGE_CHARS) {
            sb.append('…');
        }
        return sb.toString().strip();
    }
}
