package cn.antifraud.gateway.app.admin;

/**
 * The thread pool a route runs on. Each pool is bounded and separate, so work of one kind cannot
 * queue another kind behind it: a load balancer's {@code /health} is answered while every registry
 * worker is busy, and a slow bulk import holds an import thread, never a registry worker.
 */
public enum Pool {
    /**
     * Answered on the Netty event loop itself, for handlers that only read memory and never block
     * ({@code /health}, which returns the {@code HealthProbe}'s last report). No hand-off to a pool
     * and back: on a loaded machine each hand-off is a wait for a CPU (issue 13).
     */
    EVENT_LOOP,
    /** {@code /metrics}: one thread of its own. */
    HEALTH,
    /** Registry reads and writes (they block on cluster round trips and JDBC). */
    REQUESTS,
    /** Streamed bulk imports: few threads, each held for the length of an upload. */
    IMPORTS
}
