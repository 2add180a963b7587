package io.steerguard.api;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/**
 * Puts the client port's connection hygiene into Netty where Quarkus and Vert.x offer no option:
 * once the HTTP server listens, a handler on its listening channel gives every accepted connection
 * a {@link HeaderDeadline} and, with {@link HttpHygieneConfig#limitAtAccept()}, closes connections
 * beyond {@code quarkus.http.limits.max-connections} as they are accepted. The management port is
 * left alone (it is not exposed to clients).
 */
@ApplicationScoped
public class HttpHygiene {

    private static final Logger LOG = Logger.getLogger(HttpHygiene.class);
    static final String ACCEPT = "steerguard-accept";

    private final HttpHygieneConfig config;
    private final Vertx vertx;
    private final Counter headerTimeouts;
    private final Counter rejected;
    private final AtomicInteger open = new AtomicInteger();
    private volatile int installedPort = -1;

    public HttpHygiene(HttpHygieneConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        headerTimeouts = Counter.builder("steerguard.http.header_timeouts")
                .description("Client connections closed because a request head was not complete within "
                        + "steerguard.http.header-read-timeout").register(registry);
        rejected = Counter.builder("steerguard.http.connections_rejected")
                .description("Client connections closed on accept because quarkus.http.limits.max-connections "
                        + "were open").register(registry);
    }

    void onServerStart(@ObservesAsync HttpServerStart start) {
        int port = start.options().getPort() > 0 ? start.options().getPort() : boundPort();
        OptionalInt max = config.limitAtAccept() ? maxConnections() : OptionalInt.empty();
        long timeout = config.headerReadTimeout().toNanos();
        if (timeout <= 0 && max.isEmpty()) {
            return;
        }
        for (EventExecutor executor : ((VertxInternal) vertx).getAcceptorEventLoopGroup()) {
            if (executor instanceof SingleThreadEventLoop loop) {
                // the channels registered on a loop may only be listed from that loop
                loop.execute(() -> install(loop, port, timeout, max));
            }
        }
    }

    private void install(SingleThreadEventLoop loop, int port, long timeoutNanos, OptionalInt max) {
        for (Iterator<Channel> it = loop.registeredChannelsIterator(); it.hasNext(); ) {
            Channel ch = it.next();
            if (ch instanceof ServerChannel && ch.localAddress() instanceof InetSocketAddress a && a.getPort() == port
                    && ch.pipeline().get(ACCEPT) == null) {
                ch.pipeline().addFirst(ACCEPT, new Acceptor(timeoutNanos, max.orElse(Integer.MAX_VALUE)));
                installedPort = port;
                LOG.debugf("connection hygiene on port %d: header-read timeout %d ms, %s", port,
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                        max.isPresent() ? "at most " + max.getAsInt() + " connections" : "no connection limit");
            }
        }
    }

    /** The port the hygiene handlers guard, or -1 before the HTTP server has started. */
    public int installedPort() {
        return installedPort;
    }

    /** Client connections accepted and not yet closed. */
    public int openConnections() {
        return open.get();
    }

    private static int boundPort() {
        String key = LaunchMode.current().isDevOrTest() ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(-1);
    }

    private static OptionalInt maxConnections() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-connections", Integer.class)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /** On the listening channel: sees each accepted connection before Vert.x sets up its pipeline. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {

        private final long timeoutNanos;
        private final int max;

        Acceptor(long timeoutNanos, int max) {
            this.timeoutNanos = timeoutNanos;
            this.max = max;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                if (open.incrementAndGet() > max) {
                    open.decrementAndGet();
                    rejected.increment();
                    child.pipeline().addLast(new Reject());
                } else {
                    child.closeFuture().addListener(f -> open.decrementAndGet());
                    if (timeoutNanos > 0) {
                        child.pipeline().addLast(HeaderDeadline.RAW,
                                new HeaderDeadline(timeoutNanos, headerTimeouts::increment).raw());
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Closes a connection accepted beyond the limit as soon as it is registered. */
    private static final class Reject extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
