package cn.antifraud.gateway.sip.message;

import java.util.Locale;

/**
 * One Via element (RFC 3261 §20.42, §18.2.1): sent-protocol, sent-by and the parameters a proxy
 * routes responses by, {@code branch}, {@code received} and {@code rport} (RFC 3581).
 *
 * @param transport upper-case transport token ({@code UDP}, {@code TCP}, ...)
 * @param host      sent-by host, IPv6 references without brackets
 * @param port      sent-by port, or -1 when absent
 * @param branch    branch parameter or null
 * @param received  received parameter or null
 * @param rport     rport parameter: null when absent, "" when present without a value
 */
public record Via(String transport, String host, int port, String branch, String received, String rport) {

    /** RFC 3261 §8.1.1.7 magic cookie of branches made by RFC 3261 elements. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    /** The parameters read, in one pass over the parameter list. */
    private static final String[] PARAMS = {"branch", "received", "rport"};

    private static final String[] KNOWN_TRANSPORTS = {"UDP", "TCP", "TLS"};

    /** Parses one Via element, or returns null when it is not a valid via-parm. */
    public static Via parse(String element) {
        String s = HeaderValues.unfold(element);
        int i = 0;
        // Offsets of the three sent-protocol tokens (name / version / transport); no substring per token.
        int[] starts = new int[3];
        int[] ends = new int[3];
        for (int p = 0; p < 3; p++) {
            i = skipLws(s, i);
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return null;
            }
            starts[p] = start;
            ends[p] = i;
            i = skipLws(s, i);
            if (p < 2) {
                if (i >= s.length() || s.charAt(i) != '/') {
                    return null;
                }
                i++;
            }
        }
        if (ends[0] - starts[0] != 3 || !HeaderValues.regionMatchesIgnoreCase(s, starts[0], "SIP")
                || ends[1] - starts[1] != 3 || !s.startsWith("2.0", starts[1])) {
            return null;
        }
        String transport = transport(s, starts[2], ends[2]);
        i = skipLws(s, i);
        int hostEnd;
        String host;
        if (i < s.length() && s.charAt(i) == '[') {
            hostEnd = s.indexOf(']', i);
            if (hostEnd < 0) {
                return null;
            }
            host = s.substring(i + 1, hostEnd);
            hostEnd++;
        } else {
            hostEnd = i;
            while (hostEnd < s.length() && isHostChar(s.charAt(hostEnd))) {
                hostEnd++;
            }
            host = s.substring(i, hostEnd);
        }
        if (host.isEmpty()) {
            return null;
        }
        int port = -1;
        int j = skipLws(s, hostEnd);
        if (j < s.length() && s.charAt(j) == ':') {
            j = skipLws(s, j + 1);
            int start = j;
            while (j < s.length() && Character.isDigit(s.charAt(j)) && j - start < 6) {
                j++;
            }
            if (j == start) {
                return null;
            }
            port = Integer.parseInt(s, start, j, 10);
            if (port > 65535) {
                return null;
            }
        }
        j = skipLws(s, j);
        if (j < s.length() && s.charAt(j) != ';') {
            return null;
        }
        String[] found = HeaderValues.params(s, j, PARAMS);
        return new Via(transport, host, port, found[0], found[1], found[2]);
    }

    /** The upper-case transport token in {@code s[start, end)}; the usual ones without a new string. */
    private static String transport(String s, int start, int end) {
        for (String known : KNOWN_TRANSPORTS) {
            if (known.length() == end - start && HeaderValues.regionMatchesIgnoreCase(s, start, known)) {
                return known;
            }
        }
        return s.substring(start, end).toUpperCase(Locale.ROOT);
    }

    /** The port to send to when no rport is given: the sent-by port or the transport default. */
    public int portOrDefault() {
        return port >= 0 ? port : transport.equals("TLS") ? 5061 : 5060;
    }

    /** True when the branch carries the RFC 3261 magic cookie. */
    public boolean hasRfc3261Branch() {
        return branch != null && branch.startsWith(MAGIC_COOKIE);
    }

    private static int skipLws(String s, int i) {
        while (i < s.length() && HeaderValues.isLws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }
}
