package cn.antifraud.gateway.registry.work;

import com.hazelcast.map.EntryStore;
import java.util.Collection;
import java.util.Map;

/**
 * The database side of one durable work store: Hazelcast's write-through {@link EntryStore} (the expiry of
 * a record with a time-to-live is stored with it and honoured when it is loaded again), plus a batch
 * write for {@link WorkStore#createAll}: the records are committed in one transaction first, and the
 * write-through calls that follow for exactly those values on this member are then satisfied without a
 * second write.
 */
public interface DurableWorkEntries extends EntryStore<String, byte[]> {

    /** Commits {@code values} (no expiry) in one transaction, shared with writers waiting at the same moment. */
    void storeNew(Map<String, byte[]> values);

    /** Drops what {@link #storeNew} left for write-through calls that went to another member. */
    void forgetStored(Collection<String> keys);
}
