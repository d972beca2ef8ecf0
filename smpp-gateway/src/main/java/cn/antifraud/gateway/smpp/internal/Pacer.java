package cn.antifraud.gateway.smpp.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket of depth one per bind, written as a virtual schedule (GCRA, ITU-T I.371): each submit
 * reserves the next free slot {@code 1/tps} after the previous one and waits for it. A depth of one keeps
 * the SMSC's per-second counter from ever seeing a burst, which is what an SMSC's throttle measures.
 * Runs on the bind's own sender threads, never a caller's.
 */
final class Pacer {
    private final long intervalNanos;
    private long nextSlot;

    /** @param tps submits per second; 0 means unlimited */
    Pacer(int tps) {
        this.intervalNanos = tps == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / tps;
        this.nextSlot = System.nanoTime();
    }

    /** Waits for this caller's slot. */
    void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(nextSlot, now);
            nextSlot = slot + intervalNanos;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
