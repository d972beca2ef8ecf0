package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.app.lists.CsvFraudNumberRows;
import cn.antifraud.gateway.registry.ImportResult;
import cn.antifraud.gateway.registry.NumberRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams {@code POST /v1/fraud-numbers:import} (text/csv) into
 * {@link NumberRegistry#importFraudNumbers} without aggregating the body: chunks go through a
 * {@link ChunkPipe} to a worker that parses one line at a time, and the socket is paused while the
 * worker is behind. A million rows never sit in memory. Other requests pass on to the aggregator.
 *
 * <p>Sits between {@code HttpServerCodec} and the aggregator; one instance per connection.
 */
final class CsvImportHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(CsvImportHandler.class);
    private static final long HIGH_WATER = 1024 * 1024;
    private static final long LOW_WATER = 256 * 1024;
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final AdminApi api;
    private final NumberRegistry registry;
    private final ExecutorService workers;
    private final long maxBytes;
    private final Clock clock;

    /** Where this connection is: passing through, streaming an import body, or discarding one. */
    private enum State { PASS, STREAM, DISCARD }

    private State state = State.PASS;
    private ChunkPipe pipe;
    private long received;

    CsvImportHandler(AdminApi api, NumberRegistry registry, ExecutorService workers, long maxBytes, Clock clock) {
        this.api = requireNonNull(api, "api");
        this.registry = requireNonNull(registry, "registry");
        this.workers = requireNonNull(workers, "workers");
        this.maxBytes = maxBytes;
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && state == State.PASS) {
            if (isImport(req)) {
                ReferenceCountUtil.release(msg);
                start(ctx, req);
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

    private static boolean isImport(HttpRequest req) {
        return req.method().equals(HttpMethod.POST)
                && new QueryStringDecoder(req.uri()).path().equals(AdminApi.IMPORT_PATH);
    }

    private void start(ChannelHandlerContext ctx, HttpRequest req) {
        state = State.DISCARD;
        received = 0;
        if (req.decoderResult().isFailure()) {
            HttpResponses.write(ctx.channel(), ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request", null), false);
            return;
        }
        Principal who;
        try {
            who = api.authorizeImport(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        } catch (ApiException e) {
            HttpResponses.write(ctx.channel(), AdminApi.errorResponse(e), false);
            return;
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv")) {
            HttpResponses.write(ctx.channel(), ApiResponse.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "the import body must be text/csv; got " + type, "Content-Type"), false);
            return;
        }
        if (HttpUtil.getContentLength(req, -1L) > maxBytes) {
            HttpResponses.write(ctx.channel(), tooLarge(), false);
            return;
        }
        Channel channel = ctx.channel();
        ChunkPipe p = new ChunkPipe(HIGH_WATER, LOW_WATER, STALL_TIMEOUT,
                () -> channel.config().setAutoRead(false), () -> channel.config().setAutoRead(true));
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            workers.execute(() -> runImport(channel, p, who, keepAlive));
        } catch (RejectedExecutionException e) {
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the admin API is busy; retry later", null), false);
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        pipe = p;
        state = State.STREAM;
    }

    private void runImport(Channel channel, ChunkPipe p, Principal who, boolean keepAlive) {
        long started = System.nanoTime();
        try (ChunkPipe body = p) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 64 * 1024);
            ImportResult r = registry.importFraudNumbers(new CsvFraudNumberRows(lines, clock.instant()), who.name());
            ObjectNode n = Json.object().put("stored", r.stored()).put("rejected", r.rejected());
            r.firstErrors().forEach(n.putArray("firstErrors")::add);
            LOG.info("fraud number import by {}: {} stored, {} rejected in {} ms", who.name(), r.stored(), r.rejected(),
                    (System.nanoTime() - started) / 1_000_000);
            HttpResponses.write(channel, ApiResponse.json(HttpResponseStatus.OK, n), keepAlive);
        } catch (UncheckedIOException e) {
            // The body did not arrive whole (client gone, limit, stall): rows read so far are stored.
            LOG.warn("fraud number import by {} stopped: {}", who.name(), e.getCause().getMessage());
            if (channel.isActive()) {
                HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                        "import stopped: " + e.getCause().getMessage(), null), false);
            }
        } catch (RuntimeException e) {
            LOG.error("fraud number import by {} failed: {}", who.name(), e.toString(), e);
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "import failed; see the gateway log", null), false);
        }
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
