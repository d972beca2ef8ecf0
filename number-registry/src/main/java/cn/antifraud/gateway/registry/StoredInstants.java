package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The precision of every instant the registry keeps: microseconds, because that is what the
 * database's TIMESTAMP columns hold. Truncating on the way in means a record read back after a full
 * cluster restart equals the record that was written, so a PUT of the same data stays "unchanged".
 */
final class StoredInstants {
    private StoredInstants() {
    }

    /** {@code at} truncated to microseconds; null stays null. */
    static Instant micros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }
}
