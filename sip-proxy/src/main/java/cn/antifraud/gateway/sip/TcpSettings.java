package cn.antifraud.gateway.sip;

import java.time.Duration;

/**
 * How the proxy treats its TCP connections (RFC 3261 §18.3; connection reuse, §18.2.2).
 *
 * @param idleTimeout      a connection, accepted or opened, with nothing read or written for this long is
 *                         closed and counted; a peer that still needs it opens a new one (the default, 120 s,
 *                         is Kamailio's {@code tcp_connection_lifetime}, which carrier peers are tuned to)
 * @param writeBufferBytes bytes queued for one connection beyond which it stops being writable; a message
 *                         for a connection that is not writable is dropped and counted instead of queued,
 *                         so one stalled peer cannot exhaust the gateway's memory (default 1 MiB)
 */
public record TcpSettings(Duration idleTimeout, int writeBufferBytes) {

    public TcpSettings {
        if (idleTimeout == null || idleTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("idleTimeout must be at least 1s, was " + idleTimeout);
        }
        if (writeBufferBytes < 64 * 1024 || writeBufferBytes > 256 * 1024 * 1024) {
            throw new IllegalArgumentException("writeBufferBytes must be 64 KiB to 256 MiB, was " + writeBufferBytes);
        }
    }

    /** 120 s idle, 1 MiB per connection. */
    public static TcpSettings defaults() {
        return new TcpSettings(Duration.ofSeconds(120), 1024 * 1024);
    }
}
