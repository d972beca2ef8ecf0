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
import java.io.ByteArrayInputStream;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits each aggregated request on the event loop (a malformed URI, an unknown route, a bad token or
 * media type is answered at once, without a pool) and runs it on its route's pool, which writes the
 * answer. Reading pauses until the answer is written, so pipelined requests are answered in order.
 * A full pool answers 503 at once rather than queueing without bound.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRequestHandler.class);

    private final AdminApi api;
    private final AdminPools pools;

    AdminRequestHandler(AdminApi api, AdminPools pools) {
        this.api = requireNonNull(api, "api");
        this.pools = requireNonNull(pools, "pools");
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
        ApiRequest request;
        AdminApi.Admitted admitted;
        try {
            request = ApiRequest.of(req.method(), req.uri(), req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    req.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(req.content()));
            admitted = api.admit(request.method(), request.path(), request.authorization(), request.contentType());
        } catch (ApiException e) {
            HttpResponses.write(channel, ApiResponse.error(e), keepAlive);
            return;
        }
        if (admitted.pool() == Pool.EVENT_LOOP) {
            // A handler that reads memory only (/health): answered here, without two thread hand-offs.
            HttpResponses.write(channel, api.run(admitted, request, new ByteArrayInputStream(request.body())), keepAlive);
            return;
        }
        channel.config().setAutoRead(false);
        try {
            pools.execute(admitted.pool(), () -> HttpResponses.write(channel,
                    api.run(admitted, request, new ByteArrayInputStream(request.body())), keepAlive));
        } catch (RejectedExecutionException e) {
            HttpResponses.write(channel, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the admin API is busy; retry later", null).withHeader("Retry-After", "5"), keepAlive);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
