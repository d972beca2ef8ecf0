package cn.antifraud.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 through a real {@link SipProxy} on 127.0.0.1, over UDP and TCP: an impostor's police
 * display name (and its evasions) and a trusted non-warning peer's forged jcard never reach the UAS;
 * a registered card name is protected once the registry refresh has read it; a request too large
 * for UDP after our Via reaches the next hop over TCP. Sources: 127.0.0.1 is untrusted, 127.0.0.2
 * the trusted interconnect.
 */
class TrustBoundarySocketTest {
    private static final int TIMEOUT_MS = 10_000;
    private static final InetAddress TRUSTED = address("127.0.0.2");

    private DatagramSocket udpUas;
    private ServerSocket tcpUas;
    private SipProxy proxy;
    private InetSocketAddress proxyUdp;
    private InetSocketAddress proxyTcp;
    private final InMemoryCallerCards cards = new InMemoryCallerCards();

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() throws IOException {
        udpUas = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        udpUas.setSoTimeout(TIMEOUT_MS);
        tcpUas = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        tcpUas.setSoTimeout(TIMEOUT_MS);
        cards.put(ProxyHarness.policeCard("+8612381", "国家反诈中心", "请您接听"));
        SipProxyConfig config = SipProxyConfig.builder()
                .listener(SipListener.of(SipTransport.UDP, "127.0.0.1", 0))
                .listener(SipListener.of(SipTransport.TCP, "127.0.0.1", 0))
                .trustedPeer(new TrustedPeer("interconnect", Cidr.parse("127.0.0.2/32"), PeerRole.INTERCONNECT, false))
                .unknownSourcePolicy(UnknownSourcePolicy.FORWARD_UNTRUSTED)
                .defaultRoute(new NextHop("127.0.0.1", udpUas.getLocalPort(), SipTransport.UDP))
                // The same host also takes TCP: where a request too large for UDP goes (RFC 3261 §18.1.1).
                .route("999", new NextHop("127.0.0.1", tcpUas.getLocalPort(), SipTransport.TCP))
                .ioThreads(1)
                .build();
        proxy = SipProxy.builder(config).callerCards(cards).fraudNumbers(new InMemoryFraudNumbers())
                .contactEvents(new InMemoryContactEventLog()).meterRegistry(new SimpleMeterRegistry()).build();
        List<InetSocketAddress> bound = proxy.start();
        proxyUdp = bound.get(0);
        proxyTcp = bound.get(1);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        udpUas.close();
        tcpUas.close();
    }

    private static String invite(String transport, int viaPort, String callId, String from, String extraHeaders) {
        return "INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + viaPort + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + from + ";tag=f-" + callId + "\r\n"
                + "To: <sip:13800138000@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + extraHeaders
                + "Contact: <sip:caller@127.0.0.1:" + viaPort + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends over UDP from {@code source}; returns what the UDP UAS receives. */
    private String viaUdp(InetAddress source, String message) throws IOException {
        try (DatagramSocket caller = new DatagramSocket(0, source)) {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            caller.send(new DatagramPacket(b, b.length, proxyUdp));
        }
        return receiveUdp();
    }

    private String receiveUdp() throws IOException {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udpUas.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** Sends over TCP from {@code source}; returns what the UDP UAS receives. */
    private String viaTcp(InetAddress source, String message) throws IOException {
        try (Socket caller = new Socket(proxyTcp.getAddress(), proxyTcp.getPort(), source, 0)) {
            caller.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            return receiveUdp();
        }
    }

    private static String fromLine(String message) {
        for (String line : message.split("\r\n")) {
            if (line.startsWith("From:")) {
                return line;
            }
        }
        throw new AssertionError("no From in " + message);
    }

    @Test
    void impostorDisplayNamesNeverReachTheUasOverUdpOrTcp() throws IOException {
        String[] names = {"国家反诈中心", "国家 反\u200B诈 中心", "國家反詐中心", "９６１１０"};
        for (int i = 0; i < names.length; i++) {
            String from = "\"" + names[i] + "\" <sip:96110@127.0.0.1>";
            String udp = viaUdp(InetAddress.getLoopbackAddress(), invite("UDP", 5998, "imp-u" + i, from, ""));
            assertEquals("From: <sip:96110@127.0.0.1>;tag=f-imp-u" + i, fromLine(udp), names[i]);
            String tcp = viaTcp(InetAddress.getLoopbackAddress(), invite("TCP", 5997, "imp-t" + i, from, ""));
            assertEquals("From: <sip:96110@127.0.0.1>;tag=f-imp-t" + i, fromLine(tcp), names[i]);
        }
        String ordinary = viaUdp(InetAddress.getLoopbackAddress(), invite("UDP", 5998, "ok-1", "\"王公平\" <sip:13912345678@127.0.0.1>", ""));
        assertEquals("From: \"王公平\" <sip:13912345678@127.0.0.1>;tag=f-ok-1", fromLine(ordinary));
    }

    @Test
    void aTrustedNonWarningNumbersForgedJcardNeverReachesTheUas() throws IOException {
        String forged = "P-Asserted-Identity: <sip:+8613912345678@127.0.0.2>\r\n"
                + "Call-Info: <http://evil.example/card>;purpose=jcard;call-reason=\"请配合调查\"\r\n";
        String udp = viaUdp(TRUSTED, invite("UDP", 5996, "jc-u", "<sip:13912345678@127.0.0.2>", forged).replace("Via: SIP/2.0/UDP 127.0.0.1", "Via: SIP/2.0/UDP 127.0.0.2"));
        assertFalse(udp.contains("evil.example") || udp.contains("call-reason"), udp);
        assertTrue(udp.contains("P-Asserted-Identity: <sip:+8613912345678@127.0.0.2>"), "trusted: the identity stays");
        String tcp = viaTcp(TRUSTED, invite("TCP", 5995, "jc-t", "<sip:13912345678@127.0.0.2>", forged).replace("Via: SIP/2.0/TCP 127.0.0.1", "Via: SIP/2.0/TCP 127.0.0.2"));
        assertFalse(tcp.contains("evil.example") || tcp.contains("call-reason"), tcp);
        String police = viaUdp(TRUSTED, invite("UDP", 5996, "police-u", "<sip:12381@127.0.0.2>", "P-Asserted-Identity: <tel:+8612381>\r\n")
                .replace("Via: SIP/2.0/UDP 127.0.0.1", "Via: SIP/2.0/UDP 127.0.0.2"));
        assertTrue(police.contains("From: \"国家反诈中心\" <sip:12381@127.0.0.2>;tag=f-police-u"), "the card we add still arrives");
    }

    @Test
    void aRegisteredCardNameIsProtectedOnceTheRegistryRefreshReadIt() throws IOException {
        WarningNumber station = ProxyHarness.policeCard("+8675512345678", "平安守护中心", "请您接听");
        cards.put(station);
        String from = "\"平安 守護 中心\" <sip:13912345678@127.0.0.1>";
        assertTrue(fromLine(viaUdp(InetAddress.getLoopbackAddress(), invite("UDP", 5998, "reg-1", from, ""))).contains("平安 守護 中心"),
                "before the refresh the name is not known to be protected");
        try (RegisteredNamesRefresher refresher = new RegisteredNamesRefresher(
                (cursor, limit) -> new Page<>(List.of(station), null), proxy, Duration.ofHours(1))) {
            assertTrue(refresher.refresh() > SipProxyConfig.DEFAULT_PROTECTED_TERMS.size());
            assertEquals("From: <sip:13912345678@127.0.0.1>;tag=f-reg-2",
                    fromLine(viaUdp(InetAddress.getLoopbackAddress(), invite("UDP", 5998, "reg-2", from, ""))));
        }
    }

    @Test
    void aRequestTooLargeForUdpReachesTheNextHopOverTcp() throws IOException {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            pad.append("X-Pad: ").append("p".repeat(8_000)).append("\r\n");
        }
        int base = invite("UDP", 5994, "big-1", "<sip:13912345678@127.0.0.1>", "").length();
        pad.append("X-Pad: ").append("p".repeat(65_450 - base - pad.length() - 9)).append("\r\n");
        String big = invite("UDP", 5994, "big-1", "<sip:13912345678@127.0.0.1>", pad.toString());
        assertTrue(big.length() > 65_300 && big.length() < 65_507, "fits in a datagram as sent: " + big.length());
        try (DatagramSocket caller = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] b = big.getBytes(StandardCharsets.UTF_8);
            caller.send(new DatagramPacket(b, b.length, proxyUdp));
        }
        try (Socket next = tcpUas.accept()) {
            next.setSoTimeout(TIMEOUT_MS);
            String forwarded = readMessage(next.getInputStream());
            assertTrue(forwarded.startsWith("INVITE sip:13800138000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:" + proxyTcp.getPort()),
                    forwarded.substring(0, 200));
            assertTrue(forwarded.contains("Call-ID: big-1@127.0.0.1\r\n"));
            assertTrue(forwarded.length() > 65_507, "too large for a datagram: " + forwarded.length());
        }
    }

    /** Reads one message without a body (all messages here have Content-Length: 0). */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
