package cn.antifraud.gateway.registry.work;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stores an encoded record with a time-to-live unless the key holds one, on the member that owns the key;
 * returns what was there. Hazelcast's {@code IMap} has no asynchronous putIfAbsent, and
 * {@code submitToKey} with this gives one (the write-through and backups are those of any entry update).
 */
final class PutIfAbsent implements EntryProcessor<String, byte[], byte[]> {
    private static final long serialVersionUID = 1L;

    private final byte[] value;
    private final long ttlMillis;

    PutIfAbsent(byte[] value, long ttlMillis) {
        this.value = value;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public byte[] process(Map.Entry<String, byte[]> entry) {
        byte[] there = entry.getValue();
        if (there != null) {
            return there;
        }
        ((ExtendedMapEntry<String, byte[]>) entry).setValue(value, ttlMillis, TimeUnit.MILLISECONDS);
        return null;
    }
}
