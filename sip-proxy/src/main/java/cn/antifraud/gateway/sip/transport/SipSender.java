package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyAction;
import io.netty.channel.ChannelHandlerContext;

/** Puts a {@link ProxyAction.Send} on the wire, from the event loop of the channel the message came in on. */
public interface SipSender {

    /**
     * Sends without blocking. {@code inbound} is the context of the channel that received the
     * message being answered or forwarded.
     */
    void send(ChannelHandlerContext inbound, ProxyAction.Send send);
}
