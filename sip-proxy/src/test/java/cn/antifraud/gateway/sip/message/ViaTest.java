package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Via#parse} over offsets must give exactly what the substring-based version gave (kept below as the oracle). */
class ViaTest {
    private static final List<String> CORPUS = List.of(
            "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bK-police-1", "sip / 2.0 / tcp [2001:db8::1]:5061 ;rport;received=1.2.3.4",
            "SIP/2.0/udp host", "SIP/2.0/Tls h:1", "SIP/2.0/SCTP h;branch=\"x;y\"", "SIP/2.0/WSS h:99999", "SIP/2.0/UDP h:",
            "SIP/2.00/UDP h", "SIPS/2.0/UDP h", "SIP/2.0/ h", "SIP/2.0/UDP", "SIP/2.0/UDP [::1", "SIP/2.0/UDP h x",
            "SIP/2.0/UDP h\r\n  ;branch=folded", "SIP/2.0/UDP h:0012345", "SIP/2.0/UDP h:٣");

    @Test
    void parsesExactlyAsTheSubstringVersionDid() {
        for (String via : CORPUS) {
            assertEquals(Oracle.parse(via), Via.parse(via), via);
        }
        Random random = new Random(20261126L);
        String alphabet = "SIPsip/2.0UDPudpTCPtlsW :;[]=\",.-_branchrport0123456789\t\r\n";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder(CORPUS.get(random.nextInt(CORPUS.size())));
            for (int k = random.nextInt(4); k >= 0 && b.length() > 0; k--) {
                int at = random.nextInt(b.length());
                if (random.nextBoolean()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String via = b.toString();
            assertEquals(Oracle.parse(via), Via.parse(via), via);
        }
    }

    /** The first version of {@link Via#parse}. */
    private static final class Oracle {
        static Via parse(String element) {
            String s = HeaderValues.unfold(element);
            int i = 0;
            String[] parts = new String[3];
            for (int p = 0; p < 3; p++) {
                i = skipLws(s, i);
                int start = i;
                while (i < s.length() && isTokenChar(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return null;
                }
                parts[p] = s.substring(start, i);
                i = skipLws(s, i);
                if (p < 2) {
                    if (i >= s.length() || s.charAt(i) != '/') {
                        return null;
                    }
                    i++;
                }
            }
            if (!parts[0].equalsIgnoreCase("SIP") || !parts[1].equals("2.0")) {
                return null;
            }
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
                port = Integer.parseInt(s.substring(start, j));
                if (port > 65535) {
                    return null;
                }
            }
            j = skipLws(s, j);
            if (j < s.length() && s.charAt(j) != ';') {
                return null;
            }
            String[] found = HeaderValues.params(s, j, new String[] {"branch", "received", "rport"});
            return new Via(parts[2].toUpperCase(Locale.ROOT), host, port, found[0], found[1], found[2]);
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
}
