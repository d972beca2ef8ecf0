package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SMPP session's TCP connection: no Nagle delay, keep-alive, and a connect that gives up at its timeout. */
class SmscSocketsTest {
    @Test
    void aConnectionSendsWithoutNagleDelayAndKeepsAlive() throws IOException {
        try (ServerSocket smsc = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket socket = new SmscSockets(Duration.ofSeconds(10)).open("127.0.0.1", smsc.getLocalPort())) {
            assertTrue(socket.getTcpNoDelay(), "TCP_NODELAY");
            assertTrue(socket.getKeepAlive(), "SO_KEEPALIVE");
        }
    }

    /**
     * An SMSC that takes no more connections: a listener that never accepts, its backlog full, so Linux drops
     * the next SYNs as a firewall would. jsmpp's own factory would wait for the kernel's SYN retries (minutes).
     */
    @Test
    void aConnectThatIsNotAnsweredFailsAtTheTimeout() throws IOException {
        SmscSockets sockets = new SmscSockets(Duration.ofMillis(300));
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket smsc = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The backlog takes a few connections; the first connect past it times out. Bounded: 50 tries.
            assertThrows(SocketTimeoutException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    filling.add(sockets.open("127.0.0.1", smsc.getLocalPort()));
                }
            });
            assertTrue(filling.size() < 50, "the listener's backlog filled");
        } finally {
            for (Socket s : filling) {
                s.close();
            }
        }
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SmscSockets(Duration.ZERO));
    }
}
