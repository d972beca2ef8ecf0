package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SipUri#parse} reads offsets into one string instead of cutting substrings; it must give
 * exactly what the first, substring-based version gave, kept below as the oracle.
 */
class SipUriTest {
    private static final List<String> CORPUS = List.of(
            "sip:13800138000@127.0.0.1:5060", "SIP:alice:secret@[2001:db8::1]:5061;transport=TCP;lr",
            "sips:bob@example.com;lr;transport=tls?subject=x;lr", "tel:+8612381;phone-context=x", "TEL:110",
            "sip:127.0.0.1;lr", "sip:[::1]", "sip:[::1]x", "sip:[::1", "sip:a@b:99999", "sip:a@b:", "sip:@b",
            "sip:a@", "sip:", "http://x", ":x", " sip:a@b:5060 ; lr ", "sip:a@b@c;x=\"q;lr\";transport=UDP",
            "sIpS:u:p:q@h:1;LR=1?h=@;transport=tcp", "sip:u;transport=tcp@h", "sip:h?x@y", "sip:h:5x60",
            "sip:h:٣", "sïp:h", "sip:[a]:5;transport=\"tcp\"");

    @Test
    void parsesExactlyAsTheSubstringVersionDid() {
        for (String uri : CORPUS) {
            assertEquals(Oracle.parse(uri), SipUri.parse(uri), uri);
        }
        Random random = new Random(20261126L);
        String alphabet = "sipSIPtelTEL:;@[]?=<>\" ,.lrLRtransportTCPudp0123456789ab-_%\t";
        for (int n = 0; n < 200_000; n++) {
            String uri;
            if (random.nextBoolean()) {
                StringBuilder b = new StringBuilder(CORPUS.get(random.nextInt(CORPUS.size())));
                for (int k = random.nextInt(4); k >= 0 && b.length() > 0; k--) {
                    int at = random.nextInt(b.length());
                    if (random.nextBoolean()) {
                        b.deleteCharAt(at);
                    } else {
                        b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                uri = b.toString();
            } else {
                StringBuilder b = new StringBuilder(random.nextBoolean() ? "sip:" : "");
                for (int k = random.nextInt(24); k > 0; k--) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                uri = b.toString();
            }
            assertEquals(Oracle.parse(uri), SipUri.parse(uri), uri);
        }
    }

    /** The first version of {@link SipUri#parse}. */
    private static final class Oracle {
        /** Parses a URI, or returns null when it is not a sip:, sips: or tel: URI this proxy can use. */
        static SipUri parse(String uri) {
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
    }
}
