package cn.antifraud.gateway.app.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator for the small JSON bodies of the API, answering a body over the limit with the
 * API's JSON 413 instead of Netty's plain one. The connection is closed after it: the rest of the
 * oversized body would otherwise have to be read and thrown away.
 */
final class JsonAggregator extends HttpObjectAggregator {
    private final int maxContentLength;

    JsonAggregator(int maxContentLength) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        HttpResponses.write(ctx.channel(), ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body is larger than " + maxContentLength + " bytes (admin.max-body-bytes)", null), false);
    }
}
