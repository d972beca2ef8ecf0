package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * The value a work store keeps in the cluster: the record's version (8 bytes, big-endian) followed by the
 * codec's bytes. The database row keeps the two apart ({@code version}, {@code value_bytes}). The version
 * orders the writes of one key in the database: a member commits its writes after it changed cluster
 * memory, in batches shared by many callers, so two writes of one key may reach the database in the other
 * order, and the row keeps the higher version ({@link DurableWorkEntries}).
 */
public final class VersionedValue {
    /** Bytes of the version in front of the codec's bytes. */
    public static final int HEADER = Long.BYTES;

    private VersionedValue() {
    }

    /** {@code payload} behind {@code version}. */
    public static byte[] of(long version, byte[] payload) {
        requireNonNull(payload, "payload");
        return ByteBuffer.allocate(HEADER + payload.length).putLong(version).put(payload).array();
    }

    /** The version of a value made by {@link #of}. */
    public static long version(byte[] value) {
        check(value);
        return ByteBuffer.wrap(value).getLong();
    }

    /** The codec's bytes of a value made by {@link #of}. */
    public static byte[] payload(byte[] value) {
        check(value);
        byte[] payload = new byte[value.length - HEADER];
        System.arraycopy(value, HEADER, payload, 0, payload.length);
        return payload;
    }

    private static void check(byte[] value) {
        if (value.length < HEADER) {
            throw new IllegalArgumentException("a work store value has at least " + HEADER + " bytes, got " + value.length);
        }
    }
}
