package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyAction;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import cn.antifraud.gateway.sip.proxy.StatelessProxy;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link SipInbound} to the {@link StatelessProxy} and carries out its decision on the
 * channel's event loop. A deferred decision (waiting for a durable contact event) resumes on the
 * same event loop. Shared by every channel; nothing here blocks.
 *
 * <p>A failure inside the proxy is counted and logged, never allowed to close a UDP listener; a
 * TCP connection is closed only when its stream cannot be framed.
 */
@ChannelHandler.Sharable
public final class SipProxyHandler extends SimpleChannelInboundHandler<SipInbound> {
    private static final Logger LOG = LoggerFactory.getLogger(SipProxyHandler.class);

    private final StatelessProxy proxy;
    private final SipSender sender;
    private final ProxyMetrics metrics;

    public SipProxyHandler(StatelessProxy proxy, SipSender sender) {
        super(SipInbound.class);
        this.proxy = proxy;
        this.sender = sender;
        this.metrics = proxy.metrics();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipInbound inbound) {
        execute(ctx, decide(proxy, inbound), inbound.closeAfter(), false);
    }

    /**
     * The proxy's decision on one inbound message; a failure inside the proxy is counted, logged and
     * becomes a drop, so that no message can stop a listener. Shared with {@link DatagramProxyDispatch}.
     */
    static ProxyAction decide(StatelessProxy proxy, SipInbound inbound) {
        try {
            return proxy.process(inbound.result(), inbound.source());
        } catch (RuntimeException e) {
            proxy.metrics().dropped("internal_error");
            LOG.warn("proxy failed on a message from {}", inbound.source(), e);
            return new ProxyAction.Drop("internal_error");
        }
    }

    /** The end of a read batch: what the batch's messages wrote to this channel leaves now, together. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    private void execute(ChannelHandlerContext ctx, ProxyAction action, boolean closeAfter, boolean flushNow) {
        if (action instanceof ProxyAction.Send send) {
            sender.send(ctx, send, flushNow);
        } else if (action instanceof ProxyAction.Deferred deferred) {
            // Resumed outside any read batch: nothing else will flush for it.
            deferred.action().whenComplete((next, error) -> ctx.executor().execute(() ->
                    execute(ctx, next != null ? next : new ProxyAction.Drop("deferred_failed"), closeAfter, true)));
            return;
        }
        if (closeAfter) {
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.dropped("channel_exception");
        LOG.debug("exception on {}: {}", ctx.channel(), cause.toString());
        if (ctx.channel() instanceof SocketChannel) {
            ctx.close();
        }
    }
}
