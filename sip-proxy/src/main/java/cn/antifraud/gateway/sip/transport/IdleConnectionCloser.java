package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a TCP connection after the {@link io.netty.handler.timeout.IdleStateHandler} before it reports
 * that nothing was read or written for the configured time (RFC 3261 §18.3 leaves connection lifetime
 * to the implementation). Without it every peer that connected once, scanners included, held a socket
 * and a table entry for as long as the gateway ran. The close is counted, never logged per connection.
 */
@ChannelHandler.Sharable
public final class IdleConnectionCloser extends ChannelInboundHandlerAdapter {
    private final ProxyMetrics metrics;

    public IdleConnectionCloser(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            metrics.tcpClosed("idle");
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }
}
