package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.ProxyAction;
import cn.antifraud.gateway.sip.proxy.StatelessProxy;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/**
 * What a {@link BlockingUdpListener} worker does with a datagram: decode it as {@link DatagramSipDecoder}
 * does for the event-loop path, let the {@link StatelessProxy} decide, and carry the decision out on the
 * worker thread. A UDP send leaves from the worker's own socket; a TCP send is handed to a Netty event
 * loop ({@link TcpConnections}); a deferred decision (waiting for a durable contact event) resumes on the
 * thread that completes it and sends through the listener's sender thread.
 */
public final class DatagramProxyDispatch implements BlockingUdpListener.DatagramHandler {
    private final StatelessProxy proxy;
    private final SipMessageParser parser;
    private final int maxMessageBytes;
    private final TcpConnections tcp;
    private final EventLoopGroup tcpLoops;
    private final UdpEgress listener;

    /**
     * @param listener where deferred decisions send UDP from (the listener itself, any thread)
     */
    public DatagramProxyDispatch(StatelessProxy proxy, SipMessageParser parser, int maxMessageBytes, TcpConnections tcp,
            EventLoopGroup tcpLoops, UdpEgress listener) {
        this.proxy = proxy;
        this.parser = parser;
        this.maxMessageBytes = maxMessageBytes;
        this.tcp = tcp;
        this.tcpLoops = tcpLoops;
        this.listener = listener;
    }

    @Override
    public void datagram(byte[] datagram, InetSocketAddress sender, UdpEgress replyVia) {
        SipInbound inbound = DatagramSipDecoder.decode(datagram, sender, parser, maxMessageBytes);
        if (inbound == null) {
            return;
        }
        execute(SipProxyHandler.decide(proxy, inbound), replyVia);
    }

    private void execute(ProxyAction action, UdpEgress udp) {
        if (action instanceof ProxyAction.Send send) {
            if (send.transport() == SipTransport.UDP) {
                udp.send(send.bytes(), send.destination());
            } else {
                tcp.write(tcpLoops.next(), send.destination(), send.bytes());
            }
        } else if (action instanceof ProxyAction.Deferred deferred) {
            deferred.action().whenComplete((next, error) ->
                    execute(next != null ? next : new ProxyAction.Drop("deferred_failed"), listener));
        }
    }
}
