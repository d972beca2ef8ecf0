package cn.antifraud.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@link SipProxy} on TCP: a request from a client connection is forwarded on a new
 * connection to the next hop, and the response comes back on the client's own connection (RFC 3261
 * §18.2.2) because the proxy recorded received and rport on its Via. A stream that cannot be framed
 * is answered and closed.
 */
class SipProxyTcpTest {
    /** Only against a hung proxy: every read ends when its answer arrives, on a loaded machine too. */
    private static final int TIMEOUT_MS = 300_000;

    private ServerSocket uas;
    private SipProxy proxy;
    private int proxyTcpPort;

    @BeforeEach
    void start() throws IOException {
        uas = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        uas.setSoTimeout(TIMEOUT_MS);
        SipProxyConfig config = SipProxyConfig.builder()
                .listener(SipListener.of(SipTransport.UDP, "127.0.0.1", 0))
                .listener(SipListener.of(SipTransport.TCP, "127.0.0.1", 0))
                .trustedPeer(new TrustedPeer("police-trunk", Cidr.parse("127.0.0.0/8"), PeerRole.POLICE_TRUNK, false))
                .defaultRoute(new NextHop("127.0.0.1", uas.getLocalPort(), SipTransport.TCP))
                .ioThreads(1)
                .build();
        proxy = SipProxy.builder(config)
                .callerCards(new InMemoryCallerCards().put(ProxyHarness.policeCard("+8612381", "国家反诈中心", "请您接听")))
                .fraudNumbers(new InMemoryFraudNumbers())
                .contactEvents(new InMemoryContactEventLog())
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        List<InetSocketAddress> bound = proxy.start();
        proxyTcpPort = bound.get(1).getPort();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        uas.close();
    }

    @Test
    void requestGoesOutOnANewConnectionAndTheResponseComesBackOnTheClientsOwn() throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxyTcpPort)) {
            client.setSoTimeout(TIMEOUT_MS);
            int clientPort = client.getLocalPort();
            String invite = "INVITE sip:13800138000@127.0.0.1:" + proxyTcpPort + ";transport=tcp SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-tcp-1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:12381@127.0.0.1>;tag=c1\r\n"
                    + "To: <sip:13800138000@127.0.0.1>\r\n"
                    + "Call-ID: tcp-1@127.0.0.1\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "P-Asserted-Identity: <tel:+8612381>\r\n"
                    + "Content-Length: 0\r\n\r\n";
            client.getOutputStream().write(invite.getBytes(StandardCharsets.UTF_8));

            try (Socket next = uas.accept()) {
                next.setSoTimeout(TIMEOUT_MS);
                String forwarded = readMessage(next.getInputStream());
                Matcher via = Pattern.compile("Via: SIP/2.0/TCP 127.0.0.1:" + proxyTcpPort + ";branch=z9hG4bK-af\\S+\r\n")
                        .matcher(forwarded);
                assertTrue(via.find(), forwarded);
                assertTrue(forwarded.contains("Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-tcp-1;received=127.0.0.1;rport="
                        + clientPort + "\r\n"), forwarded);
                assertTrue(forwarded.contains("Record-Route: <sip:127.0.0.1:" + proxyTcpPort + ";transport=tcp;lr>\r\n"), forwarded);
                assertTrue(forwarded.contains("Call-Info: <http://127.0.0.1:8080/cards/+8612381>;purpose=jcard;call-reason=\"请您接听\"\r\n"));

                StringBuilder ringing = new StringBuilder("SIP/2.0 180 Ringing\r\n");
                for (String line : forwarded.split("\r\n")) {
                    if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                        ringing.append(line).append("\r\n");
                    }
                }
                ringing.append("To: <sip:13800138000@127.0.0.1>;tag=u1\r\nContent-Length: 0\r\n\r\n");
                next.getOutputStream().write(ringing.toString().getBytes(StandardCharsets.UTF_8));

                String response = readMessage(client.getInputStream());
                assertTrue(response.startsWith("SIP/2.0 180 Ringing\r\n"), response);
                assertTrue(response.contains("Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-tcp-1;received=127.0.0.1;rport=" + clientPort + "\r\n"));
                assertTrue(!response.contains("z9hG4bK-af"), "the proxy's Via was removed");
            }
        }
    }

    @Test
    void unframeableStreamIsAnsweredAndClosed() throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxyTcpPort)) {
            client.setSoTimeout(TIMEOUT_MS);
            String noLength = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-x\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: x@y\r\nCSeq: 1 OPTIONS\r\n\r\n";
            client.getOutputStream().write(noLength.getBytes(StandardCharsets.UTF_8));
            String answer = readMessage(client.getInputStream());
            assertTrue(answer.startsWith("SIP/2.0 400 Bad Request (missing Content-Length on a stream transport)\r\n"), answer);
            assertEquals(-1, client.getInputStream().read(), "the proxy closed the connection");
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
