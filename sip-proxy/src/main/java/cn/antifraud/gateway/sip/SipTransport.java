package cn.antifraud.gateway.sip;

import java.util.Locale;

/** Transports the proxy listens and sends on (RFC 3261 §18). TLS is a later step. */
public enum SipTransport {
    UDP, TCP;

    /** Parses {@code udp}/{@code tcp} in any case; names the accepted values when it fails. */
    public static SipTransport parse(String s) {
        if (s != null) {
            for (SipTransport t : values()) {
                if (t.name().equalsIgnoreCase(s.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown SIP transport '" + s + "'; one of: udp, tcp");
    }

    /** The transport token of a Via sent-protocol and a URI transport parameter, lower case for URIs. */
    public String uriParam() {
        return name().toLowerCase(Locale.ROOT);
    }
}
