package io.steerguard.api;

import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The header-read deadline of one HTTP/1.x connection (Vert.x 4 has none: its idle timeout is
 * reset by every byte, so a client trickling a header line every few seconds holds a connection
 * for ever). Two Netty handlers share this state, all on the connection's event loop:
 * {@link Raw} at the head of the pipeline sees bytes (it arms the deadline), and {@link Watch}
 * behind Vert.x's HTTP codec sees request heads (they disarm it) and response ends (after which
 * the next byte starts the next head).
 *
 * <p>The deadline runs from the connection's opening for the first request and from the first
 * byte of every later one; the wait between keep-alive requests and request bodies are not
 * counted. When it passes with the head still incomplete, and no response is being written on
 * the connection, the connection is closed (as Go's {@code ReadHeaderTimeout} does). HTTP/2 and
 * upgraded (WebSocket) connections are left alone: the handlers remove themselves.
 */
final class HeaderDeadline {

    private static final Logger LOG = Logger.getLogger(HeaderDeadline.class);
    static final String RAW = "steerguard-header-deadline";
    static final String WATCH = "steerguard-header-watch";
    /** Vert.x's name for its HTTP/1.x response encoder; the watcher sits right behind it. */
    private static final String VERTX_HTTP_ENCODER = "httpEncoder";

    private final long timeoutNanos;
    private final Runnable onTimeout;
    private ChannelHandlerContext raw;
    private ScheduledFuture<?> timer;
    /** True from the opening and from the end of each response until a request head is parsed. */
    private boolean awaitingHead = true;
    /** Responses not yet ended (pipelined requests are answered in order). */
    private int owed;
    private long lastWriteNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private boolean watching;
    private boolean detached;

    HeaderDeadline(long timeoutNanos, Runnable onTimeout) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be positive, got " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
        this.onTimeout = onTimeout;
    }

    Raw raw() {
        return new Raw();
    }

    private void arm() {
        if (!detached && awaitingHead && timer == null && raw != null) {
            timer = raw.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (detached || !awaitingHead || !raw.channel().isActive()) {
            return;
        }
        if (owed > 0 || System.nanoTime() - lastWriteNanos < timeoutNanos) {
            // a response is still going out (pipelined request): never cut it, look again later
            arm();
            return;
        }
        onTimeout.run();
        LOG.debugf("closing %s: request head incomplete after %d ms", raw.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        raw.close();
    }

    /** After bytes went through: put the watcher behind the HTTP/1.x codec, or step aside for HTTP/2. */
    private void adapt(ChannelPipeline pipeline) {
        if (detached) {
            return;
        }
        if (pipeline.get(Http2ConnectionHandler.class) != null) {
            detach(pipeline);
        } else if (!watching && pipeline.context(VERTX_HTTP_ENCODER) != null) {
            pipeline.addAfter(VERTX_HTTP_ENCODER, WATCH, new Watch());
            watching = true;
        }
    }

    private void detach(ChannelPipeline pipeline) {
        detached = true;
        disarm();
        if (pipeline.context(WATCH) != null) {
            pipeline.remove(WATCH);
        }
        if (pipeline.context(RAW) != null) {
            pipeline.remove(RAW);
        }
    }

    /** First in the pipeline: sees every byte read and written. */
    final class Raw extends ChannelDuplexHandler {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            raw = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm();
            adapt(ctx.pipeline());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            arm();
            if (watching || detached || !(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                adapt(ctx.pipeline());
                return;
            }
            // Vert.x builds the HTTP/1.x pipeline only once it has seen the first bytes (HTTP/2
            // preface or not; TLS handshake). Feed those one at a time, so the watcher is behind
            // the codec before a whole head can have been decoded past it.
            while (buf.isReadable() && !watching && !detached && ctx.channel().isActive()) {
                ctx.fireChannelRead(buf.readRetainedSlice(1));
                adapt(ctx.pipeline());
            }
            if (buf.isReadable() && ctx.channel().isActive()) {
                ctx.fireChannelRead(buf);
                adapt(ctx.pipeline());
            } else {
                buf.release();
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            lastWriteNanos = System.nanoTime();
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }
    }

    /** Behind Vert.x's HTTP/1.x codec: sees decoded request heads and the responses written. */
    final class Watch extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                awaitingHead = false;
                owed++;
                disarm();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean informational = false;
            if (msg instanceof HttpResponse response) {
                int code = response.status().code();
                if (code == 101) {
                    // upgraded (WebSocket): no more HTTP heads on this connection
                    ctx.write(msg, promise);
                    detach(ctx.pipeline());
                    return;
                }
                informational = code >= 100 && code < 200;
            }
            if (msg instanceof LastHttpContent && !informational && owed > 0 && --owed == 0) {
                awaitingHead = true; // the next byte starts the next head
            }
            ctx.write(msg, promise);
        }
    }
}
