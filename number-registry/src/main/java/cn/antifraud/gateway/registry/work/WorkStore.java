package cn.antifraud.gateway.registry.work;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A cluster-wide map of typed work records under String keys. A durable store's writes return (or complete)
 * only once written through to the database; a whole {@link #createAll} batch is one database transaction.
 * Every method blocks on the cluster (and, durable, the database): call it from a worker thread, never
 * from a Netty event loop.
 *
 * @param <V> the record type, encoded by the store's {@link WorkCodec}
 */
public interface WorkStore<V> {

    /** The record, or null. */
    V get(String key);

    /**
     * The records of {@code keys} that exist, in one cluster operation per partition instead of one per key:
     * for a pass over thousands of keys, where a round trip per key costs more than the reading. Unlike
     * {@link #get}, the keys not in cluster memory of a durable store are looked up in the database (one query
     * per partition) even while cluster memory is complete, so pass keys expected to exist (the sweep passes
     * this member's own keys); a key being removed is never read back from its row.
     */
    Map<String, V> getAll(Collection<String> keys);

    /** Stores a new record, kept for ever; completes once it is stored (durable: in the database). */
    default CompletableFuture<Void> create(String key, V value) {
        return create(key, value, Duration.ZERO);
    }

    /**
     * Stores a new record that expires {@code ttl} from now (zero: never), in cluster memory and, durable, in
     * its database row, so a full restart does not bring it back after that; completes once it is stored.
     */
    CompletableFuture<Void> create(String key, V value, Duration ttl);

    /** As {@link #createAll(Map, Duration)}, kept for ever. */
    default CompletableFuture<Void> createAll(Map<String, V> values) {
        return createAll(values, Duration.ZERO);
    }

    /**
     * Stores new records (keys nobody else writes yet, e.g. fresh ids) that expire {@code ttl} from now (zero:
     * never); completes once all are stored. Durable: one database transaction for the batch (shared with other
     * writers waiting at the same moment).
     */
    CompletableFuture<Void> createAll(Map<String, V> values, Duration ttl);

    /**
     * Stores {@code value} for {@code ttl}; the expiry is kept in the database too. Returns the record it
     * replaced, or null: the two in one step, so a writer of the key in between is seen by one side or the other.
     */
    V put(String key, V value, Duration ttl);

    /**
     * As {@link #put} for each entry, the writes in flight at once (each key on its own partition's thread), so
     * the caller waits for them together: the records they replaced, by key (keys that held none are absent).
     */
    Map<String, V> putAll(Map<String, V> values, Duration ttl);

    /** Stores {@code value} for {@code ttl} unless the key holds a record; returns that record, or null when stored. */
    V putIfAbsent(String key, V value, Duration ttl);

    /**
     * As {@link #putIfAbsent}, completing once the cluster has answered, before the database commit: the answer is
     * the record that was there (null when this one was stored) and {@code committed} the commit of its row
     * (completed at once when nothing was stored). Many of these in flight at once reach many partitions, whose
     * rows then share transactions; a caller that writes further records waits for all the commits together
     * instead of one after the other.
     */
    CompletableFuture<Updated<V>> putIfAbsentInMemory(String key, V value, Duration ttl);

    /**
     * Applies {@code transition} to the record as stored under compare-and-set, retrying on the fresh value
     * when another writer (on any member) got there first; writes nothing when it returns the same record.
     * Two concurrent updates never both apply to the same stored value. A record written by a transition has no
     * time-to-live in the database: update records stored without one (jobs, warnings).
     */
    default <R> R update(String key, Transition<V, R> transition) {
        return updateInMemory(key, transition).awaitCommit();
    }

    /**
     * As {@link #update}, returning once the change is in cluster memory, with the future of its database commit:
     * what others look up as soon as the change is visible (an index of it) can go there without waiting for
     * the commit, and the caller's thread need not wait for it either. Blocks on the cluster, not on the database.
     */
    <R> Updated<R> updateInMemory(String key, Transition<V, R> transition);

    /** Removes the record; returns it, or null. */
    V remove(String key);

    /**
     * As {@link #remove}, without waiting: the caller's thread does not park for the cluster's answer. The
     * future completes once the record is gone (durable: its tombstone committed). For a removal whose answer
     * nobody needs and whose loss a repair covers (an index entry a sweep drops when its record is final). Of
     * a store in cluster memory only, the future is the cluster's own: nothing is chained to it, so its
     * completion wakes no thread.
     */
    CompletableFuture<?> removeAsync(String key);

    /** Removes the record if {@code condition} holds for it as stored; a record changed meanwhile stays. */
    boolean removeIf(String key, Predicate<V> condition);

    /**
     * The keys whose records this member owns (its partitions): each member sweeps its own. A snapshot, read
     * once; its {@code contains} takes constant time.
     */
    Set<String> localKeys();

    /** The store's name, as in its {@link WorkStoreSpec}. */
    String name();
}
