package cn.antifraud.gateway.sip.transport;

import java.net.InetSocketAddress;

/**
 * Where a datagram leaves from: a UDP listener's socket, so that peers see the proxy's well-known port
 * as the source (RFC 3261 §18.2.2: responses go back from the port the request came in on; §18.1.1 for
 * requests, so that the next hop's responses, routed by our Via, come back to a socket we read).
 */
public interface UdpEgress {

    /** Sends one datagram; never blocks for long (UDP), failures are counted, not thrown. */
    void send(byte[] datagram, InetSocketAddress to);
}
