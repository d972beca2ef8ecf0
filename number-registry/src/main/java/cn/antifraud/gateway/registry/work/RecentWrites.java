package cn.antifraud.gateway.registry.work;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stored values (version and bytes, as in the cluster map) this member last wrote, for the most recent
 * {@code capacity} keys: {@link HazelcastWorkStore#update} computes its transition from this copy and
 * compare-and-sets against it, without first reading the record from its partition. A job's transitions
 * (lease, submit, receipts) mostly run on the member that wrote the previous one, so the read that every
 * update began with is mostly a round trip to learn what this member already knows.
 *
 * <p>A copy may be stale (another member wrote since, the record expired or was lost): the compare-and-set
 * then fails, the copy is dropped and the update reads the record as stored. Versions only rise, so a stale
 * copy never equals a newer value. A guess is an optimisation only; nothing is decided on it alone.
 *
 * <p>Each copy keeps the value decoded too, so an update from the copy does not decode the bytes it has just
 * encoded (about three of a job's four decodes per warning; about 1 µs each, JobCodecBenchmark). The values are
 * immutable, as the stores' transitions are pure functions of them.
 *
 * <p>Bounded: past {@code capacity} keys the oldest written is forgotten (first in, first out). A key
 * forgotten and written again is queued twice, and its first turn forgets it early: a missed guess, no more.
 */
final class RecentWrites<V> {
    /**
     * A value this member wrote: as stored (a {@link VersionedValue}) and decoded.
     *
     * @param stored the bytes in the cluster map, which a compare-and-set compares
     * @param value  what {@code stored} decodes to
     */
    record Written<V>(byte[] stored, V value) {
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Written<V>> values = new ConcurrentHashMap<>();
    /** Keys in the order first written; a forgotten key stays until its turn, so this bounds memory, not values. */
    private final Queue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    RecentWrites(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The value this member last wrote for {@code key}, or null when it has none (or forgot it). */
    Written<V> guess(String key) {
        return values.get(key);
    }

    /** Remembers {@code stored} (a {@link VersionedValue}), which decodes to {@code value}, as written for {@code key}. */
    void wrote(String key, byte[] stored, V value) {
        if (capacity == 0) {
            return;
        }
        if (values.put(key, new Written<>(stored, value)) == null) {
            order.add(key);
            if (queued.incrementAndGet() > capacity) {
                String oldest = order.poll();
                if (oldest != null) {
                    queued.decrementAndGet();
                    values.remove(oldest);
                }
            }
        }
    }

    /** Forgets {@code key}: its copy proved stale, or the record was removed. */
    void forget(String key) {
        // The key stays queued until its turn: removing it from the queue would be a linear scan.
        values.remove(key);
    }

    int size() {
        return values.size();
    }
}
