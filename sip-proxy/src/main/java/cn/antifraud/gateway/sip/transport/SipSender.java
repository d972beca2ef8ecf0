package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyAction;
import io.netty.channel.ChannelHandlerContext;

/** Puts a {@link ProxyAction.Send} on the wire, from the event loop of the channel the message came in on. */
public interface SipSender {

    /**
     * Sends without blocking. {@code inbound} is the context of the channel that received the
     * message being answered or forwarded. With {@code flushNow} false, a datagram that leaves by the
     * inbound channel itself may wait in its outbound buffer until the handler flushes at the end of
     * the read batch ({@code channelReadComplete}), so that the datagrams of one batch leave in one
     * {@code sendmmsg} call on Linux epoll instead of one {@code sendmsg} each.
     */
    void send(ChannelHandlerContext inbound, ProxyAction.Send send, boolean flushNow);
}
