package cn.antifraud.gateway.registry.work;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unconditional writes of a work store, run on the member that owns the key (and, alike, on its
 * backups), so each new version is computed from the version in memory at that moment:
 * {@code max(previous + 1, floor)}. Writes of one key are serialised by its partition, so the versions
 * follow the order in which memory changed, whichever member or thread asked.
 *
 * <p>The processor and its {@link Outcome} are {@link IdentifiedDataSerializable} ({@link WorkSerialization}):
 * Hazelcast copies an entry processor's result through serialization even on the member that owns the key,
 * and Java serialization builds a pair of object streams and writes class descriptors for each call (about 5% of
 * the gateway's JFR samples in a batch intake, these calls being made about four times per warning).
 */
final class VersionedWrite implements EntryProcessor<String, byte[], VersionedWrite.Outcome>, IdentifiedDataSerializable {

    /** What to do with the entry. */
    enum Kind {
        /** Store the payload, whatever is there. */
        SET,
        /** Store the payload unless the key holds a record. */
        SET_IF_ABSENT,
        /** Remove the record, if any. */
        REMOVE
    }

    /** What a write did: the version written (0 when nothing was) and the value that was there (a {@link VersionedValue}), or null. */
    static final class Outcome implements IdentifiedDataSerializable {
        private long written;
        private byte[] before;

        /** For {@link WorkSerialization}. */
        Outcome() {
        }

        Outcome(long written, byte[] before) {
            this.written = written;
            this.before = before;
        }

        long written() {
            return written;
        }

        byte[] before() {
            return before;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(written);
            out.writeByteArray(before);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            written = in.readLong();
            before = in.readByteArray();
        }

        @Override
        public int getFactoryId() {
            return WorkSerialization.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return WorkSerialization.OUTCOME;
        }
    }

    private static final Kind[] KINDS = Kind.values();

    private Kind kind;
    private byte[] payload;
    private long ttlMillis;
    private long floor;

    /** For {@link WorkSerialization}. */
    VersionedWrite() {
    }

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

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeByteArray(payload);
        out.writeLong(ttlMillis);
        out.writeLong(floor);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int k = in.readByte();
        if (k < 0 || k >= KINDS.length) {
            throw new IOException("VersionedWrite: unknown kind " + k + " (a member of another release?)");
        }
        kind = KINDS[k];
        payload = in.readByteArray();
        ttlMillis = in.readLong();
        floor = in.readLong();
    }

    @Override
    public int getFactoryId() {
        return WorkSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WorkSerialization.VERSIONED_WRITE;
    }
}
