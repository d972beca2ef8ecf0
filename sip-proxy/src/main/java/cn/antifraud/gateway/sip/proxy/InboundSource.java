package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.SipTransport;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where an inbound message came from: the transport and the sender's address as the socket saw it
 * (what RFC 3261 §18.2.1 {@code received} and RFC 3581 {@code rport} record).
 */
public record InboundSource(SipTransport transport, InetSocketAddress remote) {
    public InboundSource {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
    }
}
