package cn.antifraud.gateway.registry;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds. The bound only guards against a hung test and measures nothing:
 * on a busy machine a member answers late, and a test that raced a clock would fail there for no
 * fault of the code. How long a wait took is returned, for a test to log, never to assert.
 */
public final class Await {
    /** Far beyond any propagation or failover a loaded machine needs; reached only by a hang. */
    public static final Duration HANG_GUARD = Duration.ofMinutes(5);

    private Await() {
    }

    /** Waits until {@code condition} holds; throws AssertionError naming {@code what} after {@link #HANG_GUARD}. */
    public static Duration until(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + HANG_GUARD + " (a hang, not slowness): " + what);
            }
            try {
                // A millisecond between polls leaves the cores to the members being waited on.
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
