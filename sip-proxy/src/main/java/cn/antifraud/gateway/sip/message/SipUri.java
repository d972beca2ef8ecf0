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
        // Offsets into one trimmed string rather than a substring per part: this runs for every
        // Request-URI and Route of every request.
        String s = uri.trim();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = scheme(s, colon);
        if (scheme == null) {
            return null;
        }
        int restStart = colon + 1;
        if (scheme.equals("tel")) {
            int semi = s.indexOf(';', restStart);
            return new SipUri(scheme, semi >= 0 ? s.substring(restStart, semi) : s.substring(restStart), null, -1, null, false);
        }
        int end = s.indexOf('?', restStart);
        if (end < 0) {
            end = s.length();
        }
        String user = null;
        int hostStart = restStart;
        int at = end > restStart ? s.lastIndexOf('@', end - 1) : -1;
        if (at >= restStart) {
            int password = s.indexOf(':', restStart);
            user = s.substring(restStart, password >= 0 && password < at ? password : at);
            hostStart = at + 1;
        }
        int semi = s.indexOf(';', hostStart);
        if (semi >= end) {
            semi = -1;
        }
        int hostEnd = semi >= 0 ? semi : end;
        String host;
        int port = -1;
        if (hostStart < hostEnd && s.charAt(hostStart) == '[') {
            int close = s.indexOf(']', hostStart);
            if (close < 0 || close >= hostEnd) {
                return null;
            }
            host = s.substring(hostStart + 1, close);
            if (close + 1 < hostEnd) {
                if (s.charAt(close + 1) != ':') {
                    return null;
                }
                port = parsePort(s, close + 2, hostEnd);
            }
        } else {
            int p = s.indexOf(':', hostStart);
            if (p >= hostEnd) {
                p = -1;
            }
            host = s.substring(hostStart, p >= 0 ? p : hostEnd);
            if (p >= 0) {
                port = parsePort(s, p + 1, hostEnd);
            }
        }
        if (host.isEmpty() || port == -2) {
            return null;
        }
        String transport = null;
        boolean lr = false;
        if (semi >= 0) {
            // URI headers after '?' are not parameters: read the parameters up to there only.
            String params = end == s.length() ? s : s.substring(0, end);
            transport = HeaderValues.param(params, semi, "transport");
            lr = HeaderValues.param(params, semi, "lr") != null;
        }
        return new SipUri(scheme, user, host, port, transport == null ? null : transport.toLowerCase(Locale.ROOT), lr);
    }

    /** The lower-case scheme when it is sip, sips or tel (in any case), else null. */
    private static String scheme(String s, int colon) {
        if (colon == 3 && asciiEqualsLower(s, "sip")) {
            return "sip";
        }
        if (colon == 3 && asciiEqualsLower(s, "tel")) {
            return "tel";
        }
        if (colon == 4 && asciiEqualsLower(s, "sips")) {
            return "sips";
        }
        boolean ascii = true;
        for (int i = 0; i < colon; i++) {
            ascii &= s.charAt(i) < 0x80;
        }
        if (ascii) {
            return null;
        }
        // Beyond ASCII, lower-case the way the first version did (no known spelling matches, but keep its rule).
        String lower = s.substring(0, colon).toLowerCase(Locale.ROOT);
        return lower.equals("sip") || lower.equals("sips") || lower.equals("tel") ? lower : null;
    }

    private static boolean asciiEqualsLower(String s, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(i);
            if (c != lower.charAt(i) && !(c >= 'A' && c <= 'Z' && (c | 0x20) == lower.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int parsePort(String s, int from, int to) {
        if (to == from || to - from > 5) {
            return -2;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -2;
            }
        }
        int port = Integer.parseInt(s, from, to, 10);
        return port > 65535 ? -2 : port;
    }

    /** The port, or the default for the scheme (5060, 5061 for sips). */
    public int portOrDefault() {
        return port >= 0 ? port : scheme.equals("sips") ? 5061 : 5060;
    }
}
