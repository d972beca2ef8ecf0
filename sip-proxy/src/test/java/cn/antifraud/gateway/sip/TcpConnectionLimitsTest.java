package cn.antifraud.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP connection hygiene on a real {@link SipProxy}: a connection with no traffic is closed after the
 * idle timeout, and a peer that stops reading loses messages (counted) instead of the proxy queueing
 * for it without bound, while other connections keep working.
 */
class TcpConnectionLimitsTest {
    /**
     * Only against a hung proxy: every wait below ends on a condition (an answer, end of stream, a
     * counted drop); a loaded machine takes longer to reach it, never this long.
     */
    private static final int HANG_GUARD_MS = (int) TimeUnit.MINUTES.toMillis(5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SipProxy proxy;
    private int port;

    private void start(TcpSettings tcp) {
        SipProxyConfig config = SipProxyConfig.builder()
                .listener(SipListener.of(SipTransport.TCP, "127.0.0.1", 0))
                .defaultRoute(new NextHop("127.0.0.1", 9, SipTransport.UDP))
                .unknownSourcePolicy(UnknownSourcePolicy.FORWARD_UNTRUSTED)
                .tcp(tcp)
                .ioThreads(1)
                .build();
        proxy = SipProxy.builder(config)
                .callerCards(new InMemoryCallerCards())
                .fraudNumbers(new InMemoryFraudNumbers())
                .contactEvents(new InMemoryContactEventLog())
                .meterRegistry(meters)
                .build();
        List<InetSocketAddress> bound = proxy.start();
        port = bound.get(0).getPort();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private double counter(String name, String tag, String value) {
        Counter c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private byte[] options(int n) {
        return ("OPTIONS sip:127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-limits-" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:monitor@127.0.0.1>;tag=m" + n + "\r\n"
                + "To: <sip:127.0.0.1:" + port + ">\r\n"
                + "Call-ID: limits-" + n + "@127.0.0.1\r\n"
                + "CSeq: " + n + " OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anIdleConnectionIsClosedAndCounted() throws IOException {
        start(new TcpSettings(Duration.ofSeconds(1), 64 * 1024));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(HANG_GUARD_MS);
            client.getOutputStream().write(options(1));
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            int total = 0;
            int n;
            // The 200 OK to the ping, then end of stream once the connection has been idle for 1 s.
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
            assertTrue(total > 0, "the OPTIONS was answered before the idle close");
        }
        assertEquals(1.0, counter("sip.tcp.closed", "reason", "idle"));
    }

    @Test
    void aPeerThatStopsReadingLosesMessagesAndOthersAreStillServed() throws Exception {
        start(new TcpSettings(Duration.ofSeconds(120), 64 * 1024));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            OutputStream out = stalled.getOutputStream();
            long deadline = System.nanoTime() + Duration.ofMillis(HANG_GUARD_MS).toNanos();
            // Ping until the answers that cannot be delivered exceed the socket buffers and the
            // connection's write bound. The count bound is far above what that takes (socket buffers
            // plus 64 KiB of answers); the time bound only guards against a hung proxy.
            for (int i = 0; i < 200_000 && counter("sip.dropped", "reason", "tcp_not_writable") == 0
                    && System.nanoTime() < deadline; i++) {
                out.write(options(i));
            }
            assertTrue(counter("sip.dropped", "reason", "tcp_not_writable") > 0,
                    "answers to a peer that does not read were dropped and counted");

            try (Socket other = new Socket(InetAddress.getLoopbackAddress(), port)) {
                other.setSoTimeout(HANG_GUARD_MS);
                other.getOutputStream().write(options(1));
                byte[] head = new byte[15];
                int read = 0;
                while (read < head.length) {
                    int n = other.getInputStream().read(head, read, head.length - read);
                    assertTrue(n > 0, "answer on another connection");
                    read += n;
                }
                assertEquals("SIP/2.0 200 OK\r", new String(head, StandardCharsets.US_ASCII));
            }
        }
    }
}
