package cn.antifraud.gateway.sip;

import java.util.Objects;

/**
 * One listening socket of the proxy.
 *
 * @param transport     UDP or TCP
 * @param address       IP address to bind (an IP literal; {@code 0.0.0.0} binds all)
 * @param port          port, 0 for any free port (tests)
 * @param advertisedHost host written into Via and Record-Route; defaults to {@code address}, and must be
 *                      set when {@code address} is a wildcard
 */
public record SipListener(SipTransport transport, String address, int port, String advertisedHost) {

    public SipListener {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (!Cidr.isIpLiteral(address)) {
            throw new IllegalArgumentException("listener address must be an IP address, was '" + address + "'");
        }
        if (advertisedHost == null) {
            if (address.equals("0.0.0.0") || address.equals("::")) {
                throw new IllegalArgumentException("listener on wildcard address " + address + " needs an advertised host");
            }
            advertisedHost = address;
        }
    }

    /** A listener that advertises the address it binds. */
    public static SipListener of(SipTransport transport, String address, int port) {
        return new SipListener(transport, address, port, null);
    }
}
