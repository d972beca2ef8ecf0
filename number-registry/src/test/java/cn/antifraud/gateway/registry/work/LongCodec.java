package cn.antifraud.gateway.registry.work;

import java.nio.ByteBuffer;

/** A counter record for the tests: eight bytes, big-endian. */
final class LongCodec implements WorkCodec<Long> {
    static final LongCodec INSTANCE = new LongCodec();

    @Override
    public byte[] encode(Long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    @Override
    public Long decode(byte[] data) {
        if (data.length != 8) {
            throw new IllegalArgumentException("a counter is 8 bytes, got " + data.length);
        }
        return ByteBuffer.wrap(data).getLong();
    }
}
