package cn.antifraud.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BlockingUdpListener} on real loopback sockets. */
class BlockingUdpListenerTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(meters);
    private BlockingUdpListener listener;

    @AfterEach
    void close() {
        if (listener != null) {
            listener.close();
        }
    }

    /** Each datagram is answered from the worker's own socket with "echo:" + its text; "boom" throws. */
    private void startEcho(int workers, Set<String> threadNames) throws IOException {
        listener = BlockingUdpListener.bind("127.0.0.1", 0, workers, 1 << 20, metrics);
        listener.start((datagram, sender, replyVia) -> {
            threadNames.add(Thread.currentThread().getName());
            String text = new String(datagram, StandardCharsets.UTF_8);
            if (text.equals("boom")) {
                throw new IllegalStateException("handler failure on purpose");
            }
            replyVia.send(("echo:" + text).getBytes(StandardCharsets.UTF_8), sender);
        }, 2048);
    }

    private static String exchange(DatagramSocket peer, InetSocketAddress to, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(out, out.length, to));
        DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
        peer.receive(in);
        assertEquals(to, in.getSocketAddress(), "the answer leaves from the listener's port");
        return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
    }

    private static DatagramSocket peer() throws IOException {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        // Only against a hung listener: an idle loopback does not drop these single datagrams, and a
        // loaded machine answers late, not never.
        s.setSoTimeout(300_000);
        return s;
    }

    @Test
    void workersShareThePortAnswerFromItAndSurviveAFailingHandler() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        startEcho(2, threads);
        InetSocketAddress at = listener.localAddress();
        assertTrue(at.getPort() > 0);
        // Peers on many ports, so that the kernel's spread by address reaches both sockets.
        for (int i = 0; i < 16; i++) {
            try (DatagramSocket peer = peer()) {
                assertEquals("echo:hello " + i, exchange(peer, at, "hello " + i));
            }
        }
        try (DatagramSocket peer = peer()) {
            byte[] boom = "boom".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(boom, boom.length, at));
            assertEquals("echo:after", exchange(peer, at, "after"), "a later datagram is still served");
        }
        assertEquals(1.0, meters.get("sip.dropped").tag("reason", "internal_error").counter().count());
        assertTrue(threads.stream().allMatch(n -> n.startsWith("sip-udp-" + at.getPort() + "-")), threads.toString());
    }

    @Test
    void aPortInUseFailsTheBindEvenWithSeveralWorkers() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThrows(IOException.class, () -> BlockingUdpListener.bind("127.0.0.1", port, 2, 1 << 20, metrics));
            assertThrows(IOException.class, () -> BlockingUdpListener.bind("127.0.0.1", port, 1, 1 << 20, metrics));
        }
        startEcho(2, ConcurrentHashMap.newKeySet());
        int ours = listener.localAddress().getPort();
        assertThrows(IOException.class, () -> BlockingUdpListener.bind("127.0.0.1", ours, 2, 1 << 20, metrics),
                "a second gateway on the same port must not share it through SO_REUSEPORT");
    }

    @Test
    void aSendFromAnInterruptedThreadLeavesAndDoesNotCloseTheListener() throws Exception {
        startEcho(1, ConcurrentHashMap.newKeySet());
        InetSocketAddress at = listener.localAddress();
        try (DatagramSocket peer = peer()) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread interrupted = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    listener.send("from elsewhere".getBytes(StandardCharsets.UTF_8), peerAddress);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            interrupted.start();
            interrupted.join();
            assertEquals(null, failure.get());
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            peer.receive(in);
            assertEquals("from elsewhere", new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8));
            assertEquals(at, in.getSocketAddress());
            assertEquals("echo:still open", exchange(peer, at, "still open"));
        }
    }

    @Test
    void closeStopsTheWorkersAndFreesThePort() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        startEcho(2, threads);
        InetSocketAddress at = listener.localAddress();
        try (DatagramSocket peer = peer()) {
            assertEquals("echo:x", exchange(peer, at, "x"));
        }
        listener.close();
        listener = null;
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("sip-udp-" + at.getPort() + "-") && t.isAlive()), "workers ended");
        try (DatagramSocket again = new DatagramSocket(at)) {
            assertNotNull(again.getLocalSocketAddress());
        }
        try (DatagramSocket peer = peer()) {
            byte[] b = "nobody".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(b, b.length, at));
            assertThrows(SocketTimeoutException.class, () -> {
                peer.setSoTimeout(200);
                peer.receive(new DatagramPacket(new byte[16], 16));
            });
        }
    }
}
