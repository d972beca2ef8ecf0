package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The admin connection's clocks, so a slow or silent client holds nothing for long:
 * <ul>
 *   <li><b>read timeout</b>: mid-request, no byte for {@code read}: 408 and close;</li>
 *   <li><b>request timeout</b>: the whole request (head and body) not received within {@code request}
 *       of its first byte, {@code longRequest} for streamed uploads: 408 and close. This is what cuts a
 *       client trickling one byte every few seconds, which a read timeout never sees;</li>
 *   <li><b>idle timeout</b>: a kept-alive connection with no request for {@code idle}: closed.</li>
 * </ul>
 * While the server itself has paused reading (an import's backpressure, an answer being computed)
 * the client's silence is not counted. Each cut is reported to {@code cuts} with its reason
 * ({@code read-timeout}, {@code request-timeout}, {@code idle-timeout}) for the metrics. The checks
 * run on the connection's event loop every {@value #TICK_MILLIS} ms; nothing here blocks.
 * Sits right after {@code HttpServerCodec}; its {@link #byteWatcher()} sits right before it, so a
 * request's clock starts at its first byte, not once its head is complete (a trickled head never is).
 */
final class RequestTimeouts extends ChannelDuplexHandler {
    static final long TICK_MILLIS = 250;

    /** The clocks' settings. */
    record Settings(Duration read, Duration idle, Duration request, Duration longRequest) {
        Settings {
            requireNonNull(read, "read");
            requireNonNull(idle, "idle");
            requireNonNull(request, "request");
            requireNonNull(longRequest, "longRequest");
        }
    }

    private final Settings settings;
    private final Predicate<HttpRequest> streamed;
    private final Consumer<String> cuts;
    private ScheduledFuture<?> tick;
    private boolean inRequest;
    private boolean awaitingAnswer;
    private long lastReadNanos;
    private long deadlineNanos;
    private long requestStartNanos;
    private Duration deadlineSetting;
    private boolean cut;

    RequestTimeouts(Settings settings, Predicate<HttpRequest> streamed, Consumer<String> cuts) {
        this.settings = requireNonNull(settings, "settings");
        this.streamed = requireNonNull(streamed, "streamed");
        this.cuts = requireNonNull(cuts, "cuts");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        tick = ctx.executor().scheduleAtFixedRate(() -> check(ctx), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /** The handler before the codec that tells this one of raw bytes read. */
    ChannelInboundHandlerAdapter byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytesRead();
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** Bytes arrived: the silence ends, and a request starts unless one is under way or being answered. */
    private void bytesRead() {
        long now = System.nanoTime();
        lastReadNanos = now;
        if (!inRequest && !awaitingAnswer) {
            startRequest(now, settings.request());
        }
    }

    private void startRequest(long now, Duration limit) {
        inRequest = true;
        requestStartNanos = now;
        deadlineSetting = limit;
        deadlineNanos = now + limit.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastReadNanos = now;
        if (msg instanceof HttpRequest req) {
            if (!inRequest) {
                // A pipelined request read while the previous one was being answered.
                startRequest(now, settings.request());
            }
            if (streamed.test(req)) {
                // An upload gets the longer limit, counted from the same first byte.
                deadlineSetting = settings.longRequest();
                deadlineNanos = requestStartNanos + deadlineSetting.toNanos();
            }
        }
        if (msg instanceof LastHttpContent) {
            inRequest = false;
            awaitingAnswer = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && !r.status().equals(HttpResponseStatus.CONTINUE)) {
            awaitingAnswer = false;
            lastReadNanos = System.nanoTime();
        }
        ctx.write(msg, promise);
    }

    private void check(ChannelHandlerContext ctx) {
        if (cut || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (!ctx.channel().config().isAutoRead()) {
            // The server paused reading: whatever the client does is not its silence.
            lastReadNanos = now;
            return;
        }
        if (inRequest && now - deadlineNanos > 0) {
            cut(ctx, "request-timeout", "the request was not received within " + deadlineSetting.toSeconds() + " s");
        } else if (inRequest && now - lastReadNanos > settings.read().toNanos()) {
            cut(ctx, "read-timeout", "nothing was received for " + settings.read().toSeconds() + " s");
        } else if (!inRequest && !awaitingAnswer && now - lastReadNanos > settings.idle().toNanos()) {
            cut = true;
            cuts.accept("idle-timeout");
            ctx.close();
        }
    }

    private void cut(ChannelHandlerContext ctx, String reason, String why) {
        cut = true;
        cuts.accept(reason);
        HttpResponses.write(ctx.channel(), ApiResponse.error(HttpResponseStatus.REQUEST_TIMEOUT, why
                + " (admin." + reason + ")", null), false);
    }
}
