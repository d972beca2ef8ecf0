package cn.antifraud.gateway.sip;

import java.util.Objects;

/**
 * Where a request is sent next: an IP address, a port and a transport. Next hops are IP literals so
 * routing never waits for DNS on an event loop (RFC 3263 resolution is not done).
 *
 * @param host      IP literal
 * @param port      port
 * @param transport transport
 */
public record NextHop(String host, int port, SipTransport transport) {

    public NextHop {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        if (!Cidr.isIpLiteral(host)) {
            throw new IllegalArgumentException("next hop host must be an IP address, was '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("next hop port must be 1 to 65535, was " + port);
        }
    }

    /**
     * Parses {@code host:port:transport} or {@code host:port} (UDP), e.g. {@code 10.0.0.5:5060:tcp};
     * an IPv6 host goes in brackets.
     */
    public static NextHop parse(String s) {
        Objects.requireNonNull(s, "nextHop");
        String t = s.trim();
        String host;
        String rest;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("next hop '" + s + "' is not [ipv6]:port[:transport]");
            }
            host = t.substring(1, close);
            rest = t.substring(close + 2);
        } else {
            int colon = t.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("next hop '" + s + "' is not host:port[:transport]");
            }
            host = t.substring(0, colon);
            rest = t.substring(colon + 1);
        }
        String[] parts = rest.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("next hop '" + s + "' is not host:port[:transport]");
        }
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("next hop '" + s + "' has a non-numeric port");
        }
        return new NextHop(host, port, parts.length == 2 ? SipTransport.parse(parts[1]) : SipTransport.UDP);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + ":" + transport.uriParam();
    }
}
