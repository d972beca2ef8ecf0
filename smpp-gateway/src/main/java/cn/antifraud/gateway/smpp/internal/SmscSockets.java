package cn.antifraud.gateway.smpp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * Opens the TCP connection of an SMPP session (SMPP 3.4 §2.1 runs over TCP/IP) the way a session with many
 * small PDUs in flight needs it; jsmpp's own factory ({@code new Socket(host, port)}) does neither of these:
 * <ul>
 *   <li><b>TCP_NODELAY.</b> Each PDU is one small write. With Nagle's algorithm a submit_sm written while an
 *       earlier one is not yet acknowledged waits for that ACK, which the peer may delay (RFC 1122 §4.2.3.2
 *       allows up to 500 ms, Linux up to 40 ms): with a window of 10 the bind's throughput becomes the ACK
 *       clock's, not the SMSC's.</li>
 *   <li><b>A connect timeout</b> of {@code smpp.bind-timeout}: an SMSC address that drops SYNs (a firewall, a
 *       host that is down) otherwise holds the bind's supervisor thread for the kernel's SYN retries, about
 *       two minutes, while the log says nothing.</li>
 *   <li><b>SO_KEEPALIVE</b>, so that a peer gone without a FIN is also found by the kernel between
 *       enquire_links.</li>
 * </ul>
 */
final class SmscSockets implements ConnectionFactory {
    private final Duration connectTimeout;

    SmscSockets(Duration connectTimeout) {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Connection createConnection(String host, int port) throws IOException {
        Socket socket = open(host, port);
        try {
            return new SocketConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The connected socket; a connect that takes longer than the timeout fails with {@link java.net.SocketTimeoutException}. */
    Socket open(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
