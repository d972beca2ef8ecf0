package cn.antifraud.gateway.registry.work;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unconditional writes of a work store, run on the member that owns the key (and, alike, on its
 * backups), so each new version is computed from the version in memory at that moment:
 * {@code max(previous + 1, floor)}. Writes of one key are serialised by its partition, so the versions
 * follow the order in which memory changed, whichever member or thread asked.
 */
final class VersionedWrite implements EntryProcessor<String, byte[], VersionedWrite.Outcome> {
    private static final long serialVersionUID = 1L;

    /** What to do with the entry. */
    enum Kind {
        /** Store the payload, whatever is there. */
        SET,
        /** Store the payload unless the key holds a record. */
        SET_IF_ABSENT,
        /** Remove the record, if any. */
        REMOVE
    }

    /**
     * @param written the version written (0 when nothing was)
     * @param before  the value that was there (a {@link VersionedValue}), or null
     */
    record Outcome(long written, byte[] before) implements Serializable {
    }

    private final Kind kind;
    private final byte[] payload;
    private final long ttlMillis;
    private final long floor;

    private VersionedWrite(Kind kind, byte[] payload, long ttlMillis, long floor) {
        this.kind = kind;
        this.payload = payload;
        this.ttlMillis = ttlMillis;
        this.floor = floor;
    }

    static VersionedWrite set(byte[] payload, long ttlMillis, long floor) {
        return new VersionedWrite(Kind.SET, payload, ttlMillis, floor);
    }

    static VersionedWrite setIfAbsent(byte[] payload, long ttlMillis, long floor) {
        return new VersionedWrite(Kind.SET_IF_ABSENT, payload, ttlMillis, floor);
    }

    static VersionedWrite remove(long floor) {
        return new VersionedWrite(Kind.REMOVE, null, 0, floor);
    }

    @Override
    public Outcome process(Map.Entry<String, byte[]> entry) {
        byte[] there = entry.getValue();
        long previous = there == null ? 0 : VersionedValue.version(there);
        long version = VersionClock.after(previous, floor);
        switch (kind) {
            case SET_IF_ABSENT:
                if (there != null) {
                    return new Outcome(0, there);
                }
                // fall through: absent, so stored as by SET
            case SET:
                ((ExtendedMapEntry<String, byte[]>) entry).setValue(VersionedValue.of(version, payload), ttlMillis,
                        TimeUnit.MILLISECONDS);
                return new Outcome(version, there);
            case REMOVE:
                if (there == null) {
                    return new Outcome(0, null);
                }
                entry.setValue(null);
                return new Outcome(version, there);
            default:
                throw new IllegalStateException("unknown kind " + kind);
        }
    }
}
