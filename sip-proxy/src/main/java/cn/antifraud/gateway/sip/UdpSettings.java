package cn.antifraud.gateway.sip;

/**
 * How the proxy receives UDP (RFC 3261 §18.2.1, §18.3: one datagram, one message).
 *
 * @param receive how datagrams are read; {@link UdpReceive#WORKERS} by default
 * @param workers with {@link UdpReceive#WORKERS}: threads (and sockets) per UDP listener, 1 to 64; the
 *                default is the number of processors
 */
public record UdpSettings(UdpReceive receive, int workers) {

    /** How a UDP listener reads its datagrams. */
    public enum UdpReceive {
        /**
         * Kamailio's model: each worker thread blocks in {@code recvfrom(2)} on its own socket bound to
         * the listener's port ({@code SO_REUSEPORT} when there are several), parses, decides and sends
         * in the same thread. Two system calls per message, no event loop wake-up; the kernel spreads
         * peers over the sockets by address, so one peer's messages are handled in order by one worker.
         */
        WORKERS,
        /** The listener is a Netty channel on one of the {@code io-threads} event loops (epoll on Linux). */
        EVENT_LOOP
    }

    public UdpSettings {
        if (receive == null) {
            throw new IllegalArgumentException("receive must be workers or event-loop");
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be 1 to 64, was " + workers);
        }
    }

    /** Blocking workers, one per processor. */
    public static UdpSettings defaults() {
        return new UdpSettings(UdpReceive.WORKERS, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
}
