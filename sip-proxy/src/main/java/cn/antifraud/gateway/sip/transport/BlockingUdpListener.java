package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP UDP listener served the way Kamailio serves one with its UDP "children": each worker thread
 * blocks in {@code recvfrom(2)} on a socket bound to the listener's port, then parses, decides and
 * sends on the same thread (RFC 3261 §18.2.1: one datagram, one message). Per message that is one
 * {@code recvfrom} and one {@code sendto}, against an event loop's extra {@code epoll_wait} wake-up per
 * datagram at ordinary call rates; the SIP benchmark (docs/sip-benchmark.md) measures the difference.
 *
 * <p>Several workers each get their own socket on the same port ({@code SO_REUSEPORT}): a Java
 * {@link DatagramChannel} lets one thread at a time receive, and the kernel then spreads peers over the
 * sockets by address, so the messages of one peer are handled in order by one worker. Because
 * {@code SO_REUSEPORT} would also let a second gateway left running on the same port share it silently,
 * the port is first bound once without it: a port in use fails the start, naming the listener.
 *
 * <p>Datagrams sent by other threads (a forwarded INVITE that waited for its durable contact event, a
 * request that came in over TCP and leaves over UDP) go through one sender thread of this listener, not
 * from the caller's thread: an {@link java.nio.channels.InterruptibleChannel} is closed when a thread
 * using it is interrupted, and a listener must not close because some pool interrupted its thread.
 */
public final class BlockingUdpListener implements UdpEgress, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingUdpListener.class);
    /** Datagrams queued for the sender thread beyond which they are dropped and counted. */
    static final int SEND_QUEUE = 10_000;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** What a worker does with each datagram it reads, on the worker thread. */
    @FunctionalInterface
    public interface DatagramHandler {
        /**
         * @param datagram the datagram's bytes, owned by the handler
         * @param sender   where it came from
         * @param replyVia sends from this worker's own socket, on this thread
         */
        void datagram(byte[] datagram, InetSocketAddress sender, UdpEgress replyVia);
    }

    private final List<DatagramChannel> sockets;
    private final InetSocketAddress localAddress;
    private final ProxyMetrics metrics;
    private final List<Thread> workers = new ArrayList<>();
    private final ThreadPoolExecutor sender;
    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private volatile boolean closing;

    private BlockingUdpListener(List<DatagramChannel> sockets, InetSocketAddress localAddress, ProxyMetrics metrics) {
        this.sockets = sockets;
        this.localAddress = localAddress;
        this.metrics = metrics;
        String name = "sip-udp-send-" + localAddress.getPort();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(SEND_QUEUE),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Binds {@code workers} sockets to {@code address:port} (0 picks a free port, the same for all).
     *
     * @throws IOException when the port cannot be bound, or is already bound by anyone
     * @throws IllegalStateException when several workers are asked for on a platform without {@code SO_REUSEPORT}
     */
    public static BlockingUdpListener bind(String address, int port, int workers, int receiveBufferBytes,
            ProxyMetrics metrics) throws IOException {
        InetAddress host = InetAddress.getByName(address);
        StandardProtocolFamily family = host instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        InetSocketAddress wanted = new InetSocketAddress(host, port);
        List<DatagramChannel> sockets = new ArrayList<>();
        try {
            if (workers > 1 && port != 0) {
                // Without SO_REUSEPORT: fails when anything, even another gateway, holds the port.
                try (DatagramChannel probe = DatagramChannel.open(family)) {
                    probe.bind(wanted);
                }
            }
            InetSocketAddress bound = wanted;
            for (int i = 0; i < workers; i++) {
                DatagramChannel socket = DatagramChannel.open(family);
                sockets.add(socket);
                if (workers > 1) {
                    if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new IllegalStateException("SO_REUSEPORT is not available here: set sip.udp.workers: 1"
                                + " or sip.udp.receive: event-loop");
                    }
                    socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
                socket.bind(bound);
                bound = (InetSocketAddress) socket.getLocalAddress();
            }
            return new BlockingUdpListener(List.copyOf(sockets), bound, metrics);
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel s : sockets) {
                s.close();
            }
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Starts one worker thread per socket.
     *
     * @param bufferBytes receive buffer per worker: a longer datagram is cut to this length by the
     *                    kernel, so it must exceed the largest message accepted
     */
    public synchronized void start(DatagramHandler handler, int bufferBytes) {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (int i = 0; i < sockets.size(); i++) {
            DatagramChannel socket = sockets.get(i);
            Thread t = new Thread(() -> serve(socket, handler, bufferBytes), "sip-udp-" + localAddress.getPort() + "-" + (i + 1));
            workers.add(t);
            t.start();
        }
    }

    private void serve(DatagramChannel socket, DatagramHandler handler, int bufferBytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
        UdpEgress replyVia = (datagram, to) -> sendNow(socket, datagram, to);
        while (!closing) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) socket.receive(buffer);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                metrics.dropped("udp_receive_error");
                warn("receive failed on {}: {}", e);
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            try {
                handler.datagram(datagram, from, replyVia);
            } catch (RuntimeException e) {
                // Counted and logged; a bad message must never stop the listener.
                metrics.dropped("internal_error");
                LOG.warn("proxy failed on a datagram from {}", from, e);
            }
        }
    }

    /** From any thread: queued for this listener's sender thread (see the class comment). */
    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        try {
            sender.execute(() -> sendNow(sockets.get(0), datagram, to));
        } catch (RejectedExecutionException e) {
            metrics.dropped(closing ? "udp_listener_closed" : "udp_send_queue_full");
        }
    }

    private void sendNow(DatagramChannel socket, byte[] datagram, InetSocketAddress to) {
        try {
            socket.send(ByteBuffer.wrap(datagram), to);
        } catch (ClosedChannelException e) {
            metrics.dropped("udp_listener_closed");
        } catch (UnsupportedAddressTypeException e) {
            // An IPv6 next hop (or Via) for a listener bound to an IPv4 address, or the reverse: this
            // socket cannot reach it. Listen on both families to serve both.
            metrics.dropped("udp_address_family");
            warn("send to " + to + " failed on {}: {} (the listener's address family cannot reach it)", e);
        } catch (IOException | RuntimeException e) {
            metrics.dropped("udp_send_error");
            warn("send to " + to + " failed on {}: {}", e);
        }
    }

    private void warn(String format, Exception e) {
        long now = System.nanoTime();
        long last = lastWarn.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
            LOG.warn(format + " (logged at most once a minute, counted in sip.dropped)", localAddress, e.toString());
        } else {
            LOG.debug(format, localAddress, e.toString());
        }
    }

    /** Closes the sockets (which wakes the workers), waits up to 2 s for the workers, stops the sender. */
    @Override
    public synchronized void close() {
        closing = true;
        for (DatagramChannel socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", localAddress, e.toString());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sender.shutdownNow();
    }
}
