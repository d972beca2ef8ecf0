package cn.antifraud.gateway.registry.work;

import com.hazelcast.map.EntryLoader;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The database side of one durable work store. Towards Hazelcast it is a loader only ({@link EntryLoader},
 * loaded EAGER when the cluster starts, each value as {@link VersionedValue}, with its expiry): the map has
 * no write-through store. Writes come from the store itself, after it changed cluster memory, through
 * {@link #write}: a journal that commits the rows of every caller waiting at the moment in one transaction.
 * After the initial load, memory holds every record, so a miss is answered "absent" without reading the
 * database, until Hazelcast reports a partition of the store lost ({@link #partitionLost}).
 */
public interface DurableWorkEntries extends EntryLoader<String, byte[]> {

    /**
     * Commits {@code rows} (each only where it is newer than the row stored) in one transaction shared with
     * other writers; completes once that transaction committed, exceptionally when it did not. The future
     * completes on the journal's thread: a dependent stage must not block.
     */
    CompletableFuture<Void> write(List<WorkRow> rows);

    /**
     * Marks {@code key} as being removed by this member until {@code settled} completes (the removal's
     * tombstone committed, or no removal happened): meanwhile {@link #load} answers "absent" for it, so a
     * miss on this member cannot read the row being removed back into memory. Call it before changing memory.
     */
    void removing(String key, CompletableFuture<?> settled);

    /**
     * Hazelcast lost partition {@code partitionId} of this store's map: cluster memory no longer holds every
     * record, and from now on {@link #load} reads a missed key's row. Idempotent; called on Hazelcast's event thread.
     */
    void partitionLost(int partitionId);
}
