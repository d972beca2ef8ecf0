package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.proxy.ProxyAction;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;

/**
 * Sends over UDP from a listening socket (so peers see the proxy's well-known port as the source)
 * and over TCP through {@link TcpConnections}. UDP requests arriving on a UDP listener are sent
 * from that same channel, on its event loop; those that came in over TCP leave by the
 * {@link #udpEgress(UdpEgress) UDP egress} (a Netty listener or a {@link BlockingUdpListener}).
 */
public final class NettySipSender implements SipSender {
    private final TcpConnections tcp;
    private final ProxyMetrics metrics;
    private volatile UdpEgress udpEgress;

    public NettySipSender(TcpConnections tcp, ProxyMetrics metrics) {
        this.tcp = tcp;
        this.metrics = metrics;
    }

    /** The UDP listener to send from when a message came in over TCP. */
    public void udpEgress(UdpEgress egress) {
        this.udpEgress = egress;
    }

    /** A Netty UDP listener channel as a {@link UdpEgress}; thread-safe, as Netty writes are. */
    public static UdpEgress egressOf(Channel udpListener) {
        return (datagram, to) -> udpListener.writeAndFlush(
                new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), udpListener.voidPromise());
    }

    @Override
    public void send(ChannelHandlerContext inbound, ProxyAction.Send send, boolean flushNow) {
        Channel in = inbound.channel();
        boolean inboundIsStream = in instanceof SocketChannel;
        if (send.transport() == SipTransport.UDP) {
            if (inboundIsStream) {
                UdpEgress out = udpEgress;
                if (out == null) {
                    metrics.dropped("no_udp_listener");
                } else {
                    out.send(send.bytes(), send.destination());
                }
                return;
            }
            DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(send.bytes()), send.destination());
            if (flushNow) {
                in.writeAndFlush(packet, in.voidPromise());
            } else {
                in.write(packet, in.voidPromise());
            }
        } else if (send.toSource()) {
            TcpConnections.writeIfWritable(in, send.bytes(), metrics);
        } else {
            tcp.write(in.eventLoop(), send.destination(), send.bytes());
        }
    }
}
