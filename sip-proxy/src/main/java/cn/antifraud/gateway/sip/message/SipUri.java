package cn.antifraud.gateway.sip.message;

import java.util.Locale;

/**
 * The parts of a SIP URI (RFC 3261 §19.1.1) a proxy routes by: user, host, port and the
 * {@code transport} and {@code lr} parameters. The user part is kept escaped as received.
 *
 * @param scheme    lower-case scheme ({@code sip}, {@code sips}, {@code tel})
 * @param user      user part, or null
 * @param host      host, IPv6 references without brackets; null for {@code tel:}
 * @param port      port or -1
 * @param transport lower-case transport parameter or null
 * @param lr        whether the {@code lr} parameter is present (RFC 3261 §19.1.1, loose routing)
 */
public record SipUri(String scheme, String user, String host, int port, String transport, boolean lr) {

    /** Parses a URI, or returns null when it is not a sip:, sips: or tel: URI this proxy can use. */
    public static SipUri parse(String uri) {
        String s = uri.trim();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = s.substring(colon + 1);
        if (scheme.equals("tel")) {
            int semi = rest.indexOf(';');
            return new SipUri(scheme, semi >= 0 ? rest.substring(0, semi) : rest, null, -1, null, false);
        }
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return null;
        }
        int headers = rest.indexOf('?');
        if (headers >= 0) {
            rest = rest.substring(0, headers);
        }
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            int password = user.indexOf(':');
            if (password >= 0) {
                user = user.substring(0, password);
            }
            rest = rest.substring(at + 1);
        }
        int semi = rest.indexOf(';');
        String hostPort = semi >= 0 ? rest.substring(0, semi) : rest;
        String params = semi >= 0 ? rest.substring(semi) : "";
        String host;
        int port = -1;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(after.substring(1));
            } else if (!after.isEmpty()) {
                return null;
            }
        } else {
            int p = hostPort.indexOf(':');
            host = p >= 0 ? hostPort.substring(0, p) : hostPort;
            if (p >= 0) {
                port = parsePort(hostPort.substring(p + 1));
            }
        }
        if (host.isEmpty() || port == -2) {
            return null;
        }
        String transport = HeaderValues.param(params, "transport");
        return new SipUri(scheme, user, host, port, transport == null ? null : transport.toLowerCase(Locale.ROOT),
                HeaderValues.param(params, "lr") != null);
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -2;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -2;
            }
        }
        int port = Integer.parseInt(s);
        return port > 65535 ? -2 : port;
    }

    /** The port, or the default for the scheme (5060, 5061 for sips). */
    public int portOrDefault() {
        return port >= 0 ? port : scheme.equals("sips") ? 5061 : 5060;
    }
}
