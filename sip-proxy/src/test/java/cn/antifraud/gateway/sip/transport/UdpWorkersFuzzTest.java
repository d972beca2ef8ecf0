package cn.antifraud.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.PeerRole;
import cn.antifraud.gateway.sip.SipListener;
import cn.antifraud.gateway.sip.SipProxy;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.TrustedPeer;
import cn.antifraud.gateway.sip.UdpSettings;
import cn.antifraud.gateway.sip.UnknownSourcePolicy;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import cn.antifraud.gateway.sip.support.ParanoidLeakDetection;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default UDP path ({@link BlockingUdpListener} workers) under 100,000 mutated real messages over
 * real loopback sockets, from a trusted (127.0.0.1) and an untrusted (127.0.0.2) peer: after every
 * 1,000 the workers still answer an OPTIONS ping from each peer, the proxy never fails internally, and
 * a good police INVITE afterwards reaches the callee with its card. The fixtures' addresses are moved
 * to loopback first, so that what the proxy sends stays on this machine. Seeded, so a failure
 * reproduces; a ping without an answer is retransmitted, as SIP over UDP does, rather than timed.
 */
@ExtendWith(ParanoidLeakDetection.class)
class UdpWorkersFuzzTest {
    private static final int MESSAGES = 100_000;
    private static final int PING_EVERY = 1_000;
    /** Only against a hung proxy: a loaded machine answers late, never this late. */
    private static final long HANG_GUARD_NANOS = TimeUnit.MINUTES.toNanos(5);

    @Test
    void mutatedDatagramsNeverStopTheWorkers() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (DatagramSocket uas = socket("127.0.0.1");
             DatagramSocket trusted = socket("127.0.0.1");
             DatagramSocket untrusted = socket("127.0.0.2")) {
            SipProxyConfig config = SipProxyConfig.builder()
                    .listener(SipListener.of(SipTransport.UDP, "127.0.0.1", 0))
                    .trustedPeer(new TrustedPeer("police-trunk", Cidr.parse("127.0.0.1/32"), PeerRole.POLICE_TRUNK, false))
                    .defaultRoute(new NextHop("127.0.0.1", uas.getLocalPort(), SipTransport.UDP))
                    .unknownSourcePolicy(UnknownSourcePolicy.FORWARD_UNTRUSTED)
                    .cardUrlBase("http://127.0.0.1:8080/cards/")
                    .udp(new UdpSettings(UdpSettings.UdpReceive.WORKERS, 2))
                    .ioThreads(1)
                    .build();
            SipProxy proxy = SipProxy.builder(config)
                    .callerCards(new InMemoryCallerCards().put(ProxyHarness.policeCard("+8612381", "国家反诈中心",
                            "用户您好，该电话来自于国家反诈部门，请您接听！")))
                    .fraudNumbers(new InMemoryFraudNumbers())
                    .contactEvents(new InMemoryContactEventLog())
                    .meterRegistry(meters)
                    .build();
            try {
                InetSocketAddress at = proxy.start().get(0);
                List<byte[]> seeds = loopbackSeeds();
                SplittableRandom random = new SplittableRandom(20261126L);
                for (int i = 1; i <= MESSAGES; i++) {
                    byte[] mutated = MutatedMessageFuzzTest.mutate(seeds.get(random.nextInt(seeds.size())), random);
                    DatagramSocket from = random.nextBoolean() ? trusted : untrusted;
                    from.send(new DatagramPacket(mutated, mutated.length, at));
                    if (i % PING_EVERY == 0) {
                        ping(trusted, at, i);
                        ping(untrusted, at, i);
                    }
                }
                assertEquals(0.0, count(meters, "sip.dropped", "reason", "internal_error"), "the proxy never failed internally");
                assertTrue(count(meters, "sip.parse.errors", "kind", "request") > 1000, "the mutations did produce bad requests");

                drain(uas);
                byte[] good = Fixtures.text("invite-police.sip").replace("10.1.1.5", "127.0.0.1").getBytes(StandardCharsets.UTF_8);
                String forwarded = sendUntilReceived(uas, "Call-ID: police-call-1@127.0.0.1",
                        () -> trusted.send(new DatagramPacket(good, good.length, at)));
                assertNotNull(forwarded, "a good INVITE still reaches the callee");
                assertTrue(forwarded.contains("/cards/+8612381>;purpose=jcard"), forwarded);
            } finally {
                proxy.close();
            }
        }
    }

    private static List<byte[]> loopbackSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : List.of("invite-transparency.sip", "invite-police.sip", "invite-spoof.sip", "response-180.sip",
                "options-ping.sip", "bye-in-dialog.sip", "invite-missing-callid.sip")) {
            String text = Fixtures.text(f).replaceAll("\\b(?:10|192|198|203)\\.\\d+\\.\\d+\\.\\d+", "127.0.0.1");
            seeds.add(text.getBytes(StandardCharsets.UTF_8));
        }
        return seeds;
    }

    /** OPTIONS to the proxy itself from {@code peer}; its 200 must come back (RFC 3581 rport: to the source). */
    private static void ping(DatagramSocket peer, InetSocketAddress proxy, int after) throws IOException {
        String callId = "fuzz-ping-" + after + "-" + peer.getLocalAddress().getHostAddress();
        String host = peer.getLocalAddress().getHostAddress();
        String options = "OPTIONS sip:" + proxy.getAddress().getHostAddress() + ":" + proxy.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + peer.getLocalPort() + ";rport;branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:monitor@" + host + ">;tag=f" + after + "\r\n"
                + "To: <sip:" + proxy.getAddress().getHostAddress() + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] b = options.getBytes(StandardCharsets.US_ASCII);
        String answer = sendUntilReceived(peer, "Call-ID: " + callId, () -> peer.send(new DatagramPacket(b, b.length, proxy)));
        assertNotNull(answer, "no answer to the ping after " + after + " mutated messages from " + host);
        assertTrue(answer.startsWith("SIP/2.0 200"), answer);
    }

    /** Sends one datagram; may fail like a socket does. */
    private interface Send {
        void send() throws IOException;
    }

    /**
     * Sends, then returns the first datagram on {@code s} containing {@code marker}, skipping others
     * (answers to mutated messages). Without an answer it sends again, as a SIP client retransmits over
     * UDP (RFC 3261 section 17.1.1.2): on a loaded machine the kernel may drop a datagram from a full
     * socket buffer, and waiting longer for it would never help. Null only after {@link #HANG_GUARD_NANOS},
     * which guards against a hung proxy and measures nothing.
     */
    private static String sendUntilReceived(DatagramSocket s, String marker, Send send) throws IOException {
        long deadline = System.nanoTime() + HANG_GUARD_NANOS;
        byte[] buf = new byte[65_536];
        send.send();
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                send.send();
                continue;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (text.contains(marker)) {
                return text;
            }
        }
        return null;
    }

    private static void drain(DatagramSocket s) throws IOException {
        s.setSoTimeout(50);
        byte[] buf = new byte[65_536];
        try {
            while (true) {
                s.receive(new DatagramPacket(buf, buf.length));
            }
        } catch (SocketTimeoutException e) {
            s.setSoTimeout(500);
        }
    }

    private static DatagramSocket socket(String host) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSoTimeout(500);
        return s;
    }

    private static double count(SimpleMeterRegistry meters, String name, String tag, String value) {
        Counter c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }
}
