package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
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
 * Sits right after {@code HttpServerCodec}.
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastReadNanos = now;
        if (msg instanceof HttpRequest req) {
            inRequest = true;
            deadlineSetting = streamed.test(req) ? settings.longRequest() : settings.request();
            deadlineNanos = now + deadlineSetting.toNanos();
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
