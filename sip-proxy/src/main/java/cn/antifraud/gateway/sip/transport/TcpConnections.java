package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The proxy's TCP connections by remote address, accepted and opened alike, so a response goes
 * back on the connection its request came on (RFC 3261 §18.2.2) and requests to a next hop reuse
 * one connection. A new outbound connection is made on the event loop of the channel that needs
 * it (Netty's proxy example: the outbound channel shares the inbound event loop), and writes wait
 * for the connect by listener, never by blocking.
 */
public final class TcpConnections {
    private final ConcurrentHashMap<SocketAddress, ChannelFuture> connections = new ConcurrentHashMap<>();
    private final Consumer<SocketChannel> pipeline;
    private final ProxyMetrics metrics;
    private final Class<? extends SocketChannel> channelType;

    /** {@code pipeline} installs the framer and proxy handler on a new channel. */
    public TcpConnections(Consumer<SocketChannel> pipeline, ProxyMetrics metrics, Class<? extends SocketChannel> channelType) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.channelType = channelType;
    }

    /** Records an accepted connection under its remote address until it closes. */
    public void register(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        ChannelFuture ready = channel.newSucceededFuture();
        connections.put(remote, ready);
        channel.closeFuture().addListener(f -> connections.remove(remote, ready));
    }

    /** Writes {@code bytes} to {@code destination}, connecting from {@code loop} when no connection is open. */
    public void write(EventLoop loop, InetSocketAddress destination, byte[] bytes) {
        ChannelFuture existing = connections.get(destination);
        if (existing != null && (!existing.isDone() || existing.channel().isActive())) {
            existing.addListener(writeWhenConnected(bytes));
            return;
        }
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                })
                .connect(destination);
        connections.put(destination, connect);
        connect.channel().closeFuture().addListener(f -> connections.remove(destination, connect));
        connect.addListener(writeWhenConnected(bytes));
    }

    private ChannelFutureListener writeWhenConnected(byte[] bytes) {
        return f -> {
            if (f.isSuccess() && f.channel().isActive()) {
                writeIfWritable(f.channel(), bytes, metrics);
            } else {
                metrics.dropped("tcp_connect_failed");
            }
        };
    }

    /**
     * Writes unless the connection already holds more than its write buffer bound: a peer that stopped
     * reading loses this message (counted as {@code sip.dropped{reason=tcp_not_writable}}), as it would
     * lose a datagram, instead of the gateway queueing for it without limit.
     */
    static void writeIfWritable(Channel channel, byte[] bytes, ProxyMetrics metrics) {
        if (!channel.isWritable()) {
            metrics.dropped("tcp_not_writable");
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    /** Number of open or opening connections. */
    public int size() {
        return connections.size();
    }
}
