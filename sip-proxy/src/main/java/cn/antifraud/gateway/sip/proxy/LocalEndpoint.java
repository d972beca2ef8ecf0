package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.SipTransport;
import java.util.Objects;

/**
 * One address the proxy is reachable at, as written in its Via sent-by and Record-Route URIs.
 *
 * @param transport the listener's transport
 * @param host      advertised host (IP literal)
 * @param port      bound port
 */
public record LocalEndpoint(SipTransport transport, String host, int port) {
    public LocalEndpoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
    }

    /** host:port, IPv6 in brackets (RFC 3261 §25.1 hostport). */
    public String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
