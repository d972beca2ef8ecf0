package cn.antifraud.gateway.registry.store;

import com.hazelcast.map.MapStore;
import java.util.Collection;
import java.util.Map;

/**
 * A write-through store that a bulk writer can commit ahead of the map: {@link #storeNew} commits a batch
 * of rows in one transaction of its own and remembers them, the writer then puts the same values into the
 * map with {@code IMap.setAll} (one operation per partition instead of one per entry), and the
 * write-through {@link #store}/{@link #storeAll} calls that Hazelcast makes for them on this member find
 * each value already committed and write nothing. {@link #forgetStored} drops whatever the map's calls did
 * not consume, once the map write has returned.
 *
 * <p>A key owned by another member is stored by that member's store, which has not seen the batch: it
 * writes the same value again (an idempotent upsert), so the promise holds on any cluster; only the
 * saving is per member. A value that differs from the one remembered is always written.
 *
 * @param <V> the map's value type; keys are canonical E.164 strings as in {@link RegistryStores}
 */
public interface CommitAheadStore<V> extends MapStore<String, V> {

    /**
     * Commits {@code rows} (key to value) in one transaction and remembers them for the write-through
     * calls that follow on this member. Returns once the transaction committed; throws, having committed
     * nothing, when it did not.
     */
    void storeNew(Map<String, V> rows);

    /** Forgets the rows of an earlier {@link #storeNew} that no write-through call consumed. */
    void forgetStored(Collection<String> keys);
}
