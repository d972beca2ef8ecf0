package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to the worker pool (registry calls block; the event loop must not)
 * and writes the answer from there. Reading pauses until the answer is written, so pipelined requests
 * are answered in order. A full pool answers 503 at once rather than queueing without bound.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRequestHandler.class);

    private final AdminApi api;
    private final ExecutorService workers;

    AdminRequestHandler(AdminApi api, ExecutorService workers) {
        this.api = requireNonNull(api, "api");
        this.workers = requireNonNull(workers, "workers");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Channel channel = ctx.channel();
        if (req.decoderResult().isFailure()) {
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "malformed HTTP request: " + req.decoderResult().cause().getMessage(), null), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        ApiRequest request = ApiRequest.of(req.method(), req.uri(), req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(req.content()));
        channel.config().setAutoRead(false);
        try {
            workers.execute(() -> HttpResponses.write(channel, api.handle(request), keepAlive));
        } catch (RejectedExecutionException e) {
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the admin API is busy; retry later", null), keepAlive);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
