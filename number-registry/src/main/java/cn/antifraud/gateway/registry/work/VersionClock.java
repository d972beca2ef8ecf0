package cn.antifraud.gateway.registry.work;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Versions of work records: each write of a key gets {@code max(previous + 1, floor())}, where the floor is
 * this JVM's wall clock in microseconds, never below a floor it gave before. A record created again after
 * its removal has no previous version in memory; the floor still puts it after the removal's tombstone,
 * which this JVM numbered earlier (another member's clock would have to lag by more than the time between
 * the removal and the new record: the members' clocks are kept by NTP, and the stores re-create a key only
 * much later, or on the member that removed it).
 */
final class VersionClock {
    private static final AtomicLong LAST = new AtomicLong();

    private VersionClock() {
    }

    /** A floor above every floor this JVM gave before, and not below the wall clock. */
    static long floor() {
        Instant now = Instant.now();
        long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
        return LAST.updateAndGet(last -> Math.max(last + 1, micros));
    }

    /** The version of a write over a record of version {@code previous} (0: none). */
    static long after(long previous, long floor) {
        return Math.max(previous + 1, floor);
    }

    /** Keeps later floors above a version given out for a write. */
    static void observe(long version) {
        LAST.accumulateAndGet(version, Math::max);
    }
}
