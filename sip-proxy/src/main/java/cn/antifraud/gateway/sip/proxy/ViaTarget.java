package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.Via;
import java.net.InetSocketAddress;

/**
 * Where a response goes by a Via (RFC 3261 §18.2.2, RFC 3581 §4): the {@code received} address
 * when present, else the sent-by host; the {@code rport} value when present, else the sent-by port.
 */
public final class ViaTarget {

    private ViaTarget() {
    }

    /** The transport of a Via, or null when the proxy cannot send on it (TLS, SCTP, WS). */
    public static SipTransport transportOf(Via via) {
        return switch (via.transport()) {
            case "UDP" -> SipTransport.UDP;
            case "TCP" -> SipTransport.TCP;
            default -> null;
        };
    }

    /** The destination, or null when the host is a name (no DNS on the event loop; RFC 3263 is not done). */
    public static InetSocketAddress destinationOf(Via via) {
        String host = via.received() != null && !via.received().isEmpty() ? via.received() : via.host();
        int port = via.portOrDefault();
        if (via.rport() != null && !via.rport().isEmpty()) {
            try {
                port = Integer.parseInt(via.rport());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return address(host, port);
    }

    /** A socket address for an IP literal and a port; null for names and bad ports. */
    public static InetSocketAddress address(String host, int port) {
        if (!Cidr.isIpLiteral(host) || port < 1 || port > 65535) {
            return null;
        }
        return new InetSocketAddress(host, port);
    }
}
