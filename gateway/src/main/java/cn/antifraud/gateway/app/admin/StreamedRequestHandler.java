package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Streams the body of a route whose {@link BodyType#streamed() body is streamed} (the CSV import)
 * to its handler without aggregating it: chunks go through a {@link ChunkPipe} to the handler on the
 * import pool, and the socket is paused while the handler is behind. A million rows never sit in
 * memory. Every other request passes on to the aggregator.
 *
 * <p>The request is admitted ({@link AdminApi#admit}: 401, 403, 415) and given an import slot of its
 * token (429 beyond {@code admin.max-imports-per-token}) before a byte of the body is read.
 * Sits between {@code HttpServerCodec} and the aggregator; one instance per connection.
 */
final class StreamedRequestHandler extends ChannelInboundHandlerAdapter {
    private static final long HIGH_WATER = 1024 * 1024;
    private static final long LOW_WATER = 256 * 1024;
    /** Backstop for a body that stops while reading is paused; the read timeout cuts a silent client first. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final AdminApi api;
    private final AdminPools pools;
    private final ImportSlots slots;
    private final long maxBytes;

    /** Where this connection is: passing through, streaming a body, or discarding one. */
    private enum State { PASS, STREAM, DISCARD }

    private State state = State.PASS;
    private ChunkPipe pipe;
    private long received;

    StreamedRequestHandler(AdminApi api, AdminPools pools, ImportSlots slots, long maxBytes) {
        this.api = requireNonNull(api, "api");
        this.pools = requireNonNull(pools, "pools");
        this.slots = requireNonNull(slots, "slots");
        this.maxBytes = maxBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && state == State.PASS) {
            ApiRequest head = streamedHead(req);
            if (head != null) {
                ReferenceCountUtil.release(msg);
                start(ctx, req, head);
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpContent content && state != State.PASS) {
            boolean last = content instanceof LastHttpContent;
            if (state == State.STREAM) {
                received += content.content().readableBytes();
                if (received > maxBytes) {
                    pipe.abort("body larger than " + maxBytes + " bytes");
                    content.release();
                    state = State.DISCARD;
                    HttpResponses.write(ctx.channel(), tooLarge(), false);
                    return;
                }
                pipe.offer(content.content().retain());
                if (last) {
                    pipe.end();
                    // Read nothing more until the import is answered: responses stay in request order.
                    ctx.channel().config().setAutoRead(false);
                }
            }
            content.release();
            if (last) {
                state = State.PASS;
                pipe = null;
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The request's head when it is for a streamed route; null for anything else (the aggregator's path answers it). */
    private ApiRequest streamedHead(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return null;
        }
        try {
            ApiRequest head = ApiRequest.of(req.method(), req.uri(), req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    req.headers().get(HttpHeaderNames.CONTENT_TYPE), new byte[0]);
            return api.isStreamed(head.method(), head.path()) ? head : null;
        } catch (ApiException e) {
            return null;
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest req, ApiRequest head) {
        state = State.DISCARD;
        received = 0;
        Channel channel = ctx.channel();
        AdminApi.Admitted admitted;
        try {
            admitted = api.admit(head.method(), head.path(), head.authorization(), head.contentType());
        } catch (ApiException e) {
            HttpResponses.write(channel, ApiResponse.error(e), false);
            return;
        }
        if (HttpUtil.getContentLength(req, -1L) > maxBytes) {
            HttpResponses.write(channel, tooLarge(), false);
            return;
        }
        String token = admitted.caller().name();
        if (!slots.tryAcquire(token)) {
            HttpResponses.write(channel, ApiResponse.error(new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "this token already runs " + slots.perToken() + " import(s); wait for it to finish"
                            + " (admin.max-imports-per-token)", null, Map.of("Retry-After", "30"))), false);
            return;
        }
        ChunkPipe[] self = new ChunkPipe[1];
        // Resuming is handed to the event loop, after any pause it decided earlier; not once the body is complete.
        ChunkPipe p = new ChunkPipe(HIGH_WATER, LOW_WATER, STALL_TIMEOUT,
                () -> channel.config().setAutoRead(false),
                () -> channel.eventLoop().execute(() -> {
                    if (!self[0].complete()) {
                        channel.config().setAutoRead(true);
                    }
                }));
        self[0] = p;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            pools.execute(admitted.pool(), () -> {
                try (ChunkPipe body = p) {
                    ApiResponse r = api.run(admitted, head, body);
                    boolean ok = r.status().code() < 300;
                    if (channel.isActive()) {
                        HttpResponses.write(channel, r, keepAlive && ok);
                    }
                } finally {
                    slots.release(token);
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release(token);
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "every import thread is busy (admin.import-workers); retry later", null)
                    .withHeader("Retry-After", "30"), false);
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        pipe = p;
        state = State.STREAM;
    }

    private ApiResponse tooLarge() {
        return ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "import body is larger than " + maxBytes + " bytes (admin.max-import-bytes)", null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pipe != null) {
            pipe.abort("the client closed the connection");
            pipe = null;
        }
        ctx.fireChannelInactive();
    }
}
