package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One write of a durable work store as it goes to the database: the key, the record's version, the codec's
 * bytes (null: a tombstone, the record was removed) and the expiry of a record with a time-to-live (null:
 * none). A row replaces the stored one of its key only when its version is higher.
 */
public record WorkRow(String key, long version, byte[] value, Instant expiresAt) {
    public WorkRow {
        requireNonNull(key, "key");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, got " + version);
        }
    }

    /** A write of a record. */
    public static WorkRow record(String key, long version, byte[] value, Instant expiresAt) {
        return new WorkRow(key, version, requireNonNull(value, "value"), expiresAt);
    }

    /** The removal of a record. */
    public static WorkRow tombstone(String key, long version) {
        return new WorkRow(key, version, null, null);
    }

    public boolean isTombstone() {
        return value == null;
    }
}
