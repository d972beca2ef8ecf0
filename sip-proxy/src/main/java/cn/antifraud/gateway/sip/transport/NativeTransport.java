package cn.antifraud.gateway.sip.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport of the SIP listeners: Linux epoll when its native library loads (netty-all ships
 * it), else Java NIO. Why: on the SIP benchmark half of the event loop's CPU per call was kernel time,
 * and NIO's selector adds work per wake-up that the native transport does not. {@code
 * -Dantifraud.sip.transport=nio} forces NIO, e.g. to compare the two.
 */
public enum NativeTransport {
    EPOLL, NIO;

    /** Epoll when available and not turned off, else NIO. */
    public static NativeTransport best() {
        boolean nioForced = "nio".equalsIgnoreCase(System.getProperty("antifraud.sip.transport"));
        return !nioForced && Epoll.isAvailable() ? EPOLL : NIO;
    }

    // Each accessor names the epoll classes only on the EPOLL branch, so NIO never loads them.

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
