package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.SipTransport;
import java.util.List;

/**
 * The proxy's own addresses, used to recognise its own Via (responses, loop detection, RFC 3261
 * §16.3 step 4), its own Route entries (§16.4) and requests addressed to it (OPTIONS pings).
 */
public final class LocalEndpoints {
    private final List<LocalEndpoint> endpoints;

    public LocalEndpoints(List<LocalEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one local endpoint is required");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    /** True when host and port name one of the proxy's endpoints, whatever the transport. */
    public boolean matches(String host, int port) {
        for (LocalEndpoint e : endpoints) {
            if (e.port() == port && e.host().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint to write into Via and Record-Route for requests sent on {@code transport}. */
    public LocalEndpoint forTransport(SipTransport transport) {
        for (LocalEndpoint e : endpoints) {
            if (e.transport() == transport) {
                return e;
            }
        }
        return null;
    }

    public List<LocalEndpoint> all() {
        return endpoints;
    }
}
