package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A {@link WorkStore} on a Hazelcast map of {@link VersionedValue}s (a version and the codec's bytes).
 * Compare-and-set compares those bytes, so a transition computed from a stale copy never overwrites a newer
 * one, and every write raises the version.
 *
 * <p><b>Journaled write-through.</b> A durable store changes cluster memory first and then hands the new row
 * (or, for a removal, a tombstone) to this member's journal ({@link DurableWorkEntries#write}), which commits
 * the rows of every caller waiting at that moment in one transaction; a write returns, or its future
 * completes, only after that commit, so a write that returned is in the database, as with a write-through
 * store, at hundreds of rows per commit instead of one or two. The database keeps, per key, the row of the
 * highest version, so two writers whose commits overtake each other leave the newer record. A commit that
 * fails fails its caller; the change stays in cluster memory, and the next write of the key carries it.
 *
 * <p><b>Own copies.</b> A store whose spec asks for it ({@link WorkStoreSpec#rememberingOwnWrites}) keeps the
 * value this member last wrote per key ({@link RecentWrites}); {@link #update} compare-and-sets against that
 * copy instead of reading the record first, and reads it only when the copy proved stale.
 */
final class HazelcastWorkStore<V> implements WorkStore<V> {
    /** A record rewritten this often under one update is a livelock, not contention. */
    private static final int MAX_TRIES = 1000;

    private final WorkStoreSpec<V> spec;
    private final IMap<String, byte[]> map;
    private final PartitionService partitions;
    /** This member's database side of the store; null when the store is not durable. */
    private final DurableWorkEntries database;
    private final RecentWrites<V> recent;

    HazelcastWorkStore(WorkStoreSpec<V> spec, IMap<String, byte[]> map, PartitionService partitions,
                       DurableWorkEntries database) {
        this.spec = requireNonNull(spec, "spec");
        this.map = requireNonNull(map, "map");
        this.partitions = requireNonNull(partitions, "partitions");
        this.database = database;
        this.recent = new RecentWrites<>(spec.recentWrites());
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public V get(String key) {
        return decode(map.get(key));
    }

    @Override
    public Map<String, V> getAll(Collection<String> keys) {
        // One getAll per partition: Hazelcast's getAll hands every key to the operation of each partition
        // involved, which hashes them all to find its own, so a few thousand keys over 271 partitions cost a
        // million hashes (15% of the gateway's CPU in a burst, profiled 2026-12-03).
        Map<Integer, Set<String>> byPartition = new HashMap<>();
        for (String key : keys) {
            byPartition.computeIfAbsent(partitions.getPartition(key).getPartitionId(), p -> new HashSet<>()).add(key);
        }
        Map<String, V> values = new HashMap<>(keys.size() * 2);
        for (Set<String> partitionKeys : byPartition.values()) {
            map.getAll(partitionKeys).forEach((key, data) -> values.put(key, decode(data)));
        }
        return values;
    }

    @Override
    public CompletableFuture<Void> create(String key, V value, Duration ttl) {
        byte[] payload = encode(value);
        long version = VersionClock.floor();
        byte[] stored = VersionedValue.of(version, payload);
        Instant expires = expiry(ttl);
        CompletableFuture<Void> inMemory = (expires == null ? map.setAsync(key, stored)
                : map.setAsync(key, stored, ttl.toMillis(), TimeUnit.MILLISECONDS)).toCompletableFuture();
        return inMemory.thenCompose(ok -> {
            recent.wrote(key, stored, value);
            return journal(List.of(WorkRow.record(key, version, payload, expires)));
        });
    }

    /**
     * Durable: the records go to cluster memory at once, then to the database in one transaction. Records with
     * a time-to-live go one operation each: Hazelcast's bulk set takes no expiry.
     */
    @Override
    public CompletableFuture<Void> createAll(Map<String, V> values, Duration ttl) {
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (values.size() == 1) {
            // A putAll of one entry costs Hazelcast a partition grouping and a bulk operation: a quarter of the
            // intake thread's CPU for single warnings.
            Map.Entry<String, V> only = values.entrySet().iterator().next();
            return create(only.getKey(), only.getValue(), ttl);
        }
        Instant expires = expiry(ttl);
        Map<String, byte[]> versioned = new HashMap<>(values.size() * 2);
        List<WorkRow> rows = new ArrayList<>(values.size());
        values.forEach((k, v) -> {
            byte[] payload = encode(v);
            long version = VersionClock.floor();
            versioned.put(requireNonNull(k, "key"), VersionedValue.of(version, payload));
            rows.add(WorkRow.record(k, version, payload, expires));
        });
        CompletableFuture<Void> inMemory;
        if (expires == null) {
            inMemory = map.setAllAsync(versioned).toCompletableFuture();
        } else {
            inMemory = CompletableFuture.allOf(versioned.entrySet().stream()
                    .map(e -> map.setAsync(e.getKey(), e.getValue(), ttl.toMillis(), TimeUnit.MILLISECONDS).toCompletableFuture())
                    .toArray(CompletableFuture[]::new));
        }
        return inMemory.thenCompose(ok -> {
            versioned.forEach((k, stored) -> recent.wrote(k, stored, values.get(k)));
            return journal(rows);
        });
    }

    /** When a record written now with {@code ttl} expires; null for zero (never). */
    private static Instant expiry(Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
        }
        return ttl.isZero() ? null : Instant.now().plus(ttl);
    }

    @Override
    public V put(String key, V value, Duration ttl) {
        byte[] payload = encode(value);
        VersionedWrite.Outcome o = map.executeOnKey(key, VersionedWrite.set(payload, ttl.toMillis(), VersionClock.floor()));
        await(written(key, o.written(), payload, ttl));
        return decode(o.before());
    }

    @Override
    public Map<String, V> putAll(Map<String, V> values, Duration ttl) {
        if (values.size() == 1) {
            Map.Entry<String, V> only = values.entrySet().iterator().next();
            V before = put(only.getKey(), only.getValue(), ttl);
            return before == null ? Map.of() : Map.of(only.getKey(), before);
        }
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        Map<String, CompletableFuture<VersionedWrite.Outcome>> started = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            byte[] payload = encode(value);
            payloads.put(key, payload);
            // Not chained: each result is decoded here, on the caller's thread, not on a thread woken for it.
            started.put(key, map.submitToKey(key, VersionedWrite.set(payload, ttl.toMillis(), VersionClock.floor()))
                    .toCompletableFuture());
        });
        Map<String, V> replaced = new HashMap<>();
        List<CompletableFuture<Void>> commits = new ArrayList<>(values.size());
        started.forEach((key, outcome) -> {
            VersionedWrite.Outcome o = join(outcome);
            commits.add(written(key, o.written(), payloads.get(key), ttl));
            if (o.before() != null) {
                replaced.put(key, decode(o.before()));
            }
        });
        commits.forEach(HazelcastWorkStore::await);
        return replaced;
    }

    @Override
    public V putIfAbsent(String key, V value, Duration ttl) {
        return putIfAbsentInMemory(key, value, ttl).join().awaitCommit();
    }

    @Override
    public CompletableFuture<Updated<V>> putIfAbsentInMemory(String key, V value, Duration ttl) {
        byte[] payload = encode(value);
        // The row is queued for the journal before the future completes, so a caller's later writes commit in
        // the same transaction or a later one (the journal keeps arrival order).
        return map.submitToKey(key, VersionedWrite.setIfAbsent(payload, ttl.toMillis(), VersionClock.floor()))
                .toCompletableFuture()
                .thenApply(o -> o.written() == 0
                        ? Updated.<V>settled(decode(o.before()))
                        : new Updated<V>(null, written(key, o.written(), payload, ttl)));
    }

    @Override
    public <R> Updated<R> updateInMemory(String key, Transition<V, R> transition) {
        RecentWrites.Written<V> guess = recent.guess(key);
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            // This member's own last write of the key, when it has one (see RecentWrites): the compare-and-set
            // below checks it. Otherwise get, not getEntryView: after a lost partition a miss must read the
            // database (see DurableWorkEntries.partitionLost), and an entry view never does. The row's expiry
            // is not carried: the stores updated by transitions have none.
            boolean guessed = guess != null;
            byte[] stored = guessed ? guess.stored() : map.get(key);
            V current = guessed ? guess.value() : decode(stored);
            guess = null;
            Transition.Result<V, R> result = transition.apply(current);
            V next = result.next();
            if (next == current) {
                if (guessed) {
                    // "Nothing to do" is an answer about the record as stored: a guess may be stale, so read it.
                    continue;
                }
                return Updated.settled(result.answer());
            }
            long version = VersionClock.after(stored == null ? 0 : VersionedValue.version(stored), VersionClock.floor());
            if (next == null) {
                recent.forget(key);
                CompletableFuture<Void> tombstone = removalStarted(key, () -> map.remove(key, stored) ? version : 0);
                if (tombstone != null) {
                    return new Updated<>(result.answer(), tombstone);
                }
                continue;
            }
            byte[] payload = encode(next);
            byte[] written = VersionedValue.of(version, payload);
            boolean won = stored == null ? map.putIfAbsent(key, written) == null : map.replace(key, stored, written);
            if (!won) {
                recent.forget(key);
                continue;
            }
            VersionClock.observe(version);
            recent.wrote(key, written, next);
            // A memory-only change of an existing record (a lease) is not journaled; a creation always is.
            return result.journaled() || stored == null
                    ? new Updated<>(result.answer(), journal(List.of(WorkRow.record(key, version, payload, null))))
                    : Updated.settled(result.answer());
        }
        throw new IllegalStateException(spec.name() + "[" + key + "] kept changing under " + MAX_TRIES + " updates");
    }

    @Override
    public V remove(String key) {
        recent.forget(key);
        byte[][] before = new byte[1][];
        removal(key, () -> {
            VersionedWrite.Outcome o = map.executeOnKey(key, VersionedWrite.remove(VersionClock.floor()));
            before[0] = o.before();
            return o.written();
        });
        return decode(before[0]);
    }

    @Override
    public CompletableFuture<?> removeAsync(String key) {
        recent.forget(key);
        if (database == null) {
            // Nothing chained: a dependent stage would be run on another thread, woken for it.
            return map.submitToKey(key, VersionedWrite.remove(VersionClock.floor())).toCompletableFuture();
        }
        // Marked as being removed from before the removal until its tombstone is committed, as remove does.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        database.removing(key, settled);
        CompletableFuture<Void> removed;
        try {
            removed = map.submitToKey(key, VersionedWrite.remove(VersionClock.floor())).toCompletableFuture()
                    .thenCompose(o -> {
                        if (o.written() == 0) {
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        VersionClock.observe(o.written());
                        return database.write(List.of(WorkRow.tombstone(key, o.written())));
                    });
        } catch (RuntimeException e) {
            settled.complete(null);
            throw e;
        }
        removed.whenComplete((ok, failed) -> settled.complete(null));
        return removed;
    }

    @Override
    public boolean removeIf(String key, Predicate<V> condition) {
        byte[] stored = map.get(key);
        if (stored == null || !condition.test(decode(stored))) {
            return false;
        }
        long version = VersionClock.after(VersionedValue.version(stored), VersionClock.floor());
        recent.forget(key);
        return removal(key, () -> map.remove(key, stored) ? version : 0);
    }

    /**
     * Runs {@code removeFromMemory} (the version of its tombstone, or 0 when it removed nothing) with the key
     * marked as being removed, and waits for the tombstone's commit; returns whether it removed the record.
     */
    private boolean removal(String key, LongSupplier removeFromMemory) {
        CompletableFuture<Void> tombstone = removalStarted(key, removeFromMemory);
        if (tombstone == null) {
            return false;
        }
        await(tombstone);
        return true;
    }

    /**
     * Runs {@code removeFromMemory} as {@link #removal} does, without waiting: the future of the tombstone's
     * commit, or null when it removed nothing. The key stays marked as being removed until the commit ends.
     */
    private CompletableFuture<Void> removalStarted(String key, LongSupplier removeFromMemory) {
        if (database == null) {
            return removeFromMemory.getAsLong() != 0 ? CompletableFuture.completedFuture(null) : null;
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        database.removing(key, settled);
        try {
            long version = removeFromMemory.getAsLong();
            if (version == 0) {
                settled.complete(null);
                return null;
            }
            VersionClock.observe(version);
            CompletableFuture<Void> written = database.write(List.of(WorkRow.tombstone(key, version)));
            written.whenComplete((ok, failed) -> settled.complete(null));
            return written;
        } catch (RuntimeException e) {
            settled.complete(null);
            throw e;
        }
    }

    @Override
    public Set<String> localKeys() {
        return new HashSet<>(map.localKeySet());
    }

    /** The journal write of a record just stored with {@code ttl} at {@code version}. */
    private CompletableFuture<Void> written(String key, long version, byte[] payload, Duration ttl) {
        VersionClock.observe(version);
        Instant expires = ttl.isZero() ? null : Instant.now().plus(ttl);
        return journal(List.of(WorkRow.record(key, version, payload, expires)));
    }

    private CompletableFuture<Void> journal(List<WorkRow> rows) {
        return database == null ? CompletableFuture.completedFuture(null) : database.write(rows);
    }

    /** Waits for a cluster operation; its failure is thrown as it is. */
    private static <T> T join(CompletableFuture<T> operation) {
        try {
            return operation.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Waits for a journal write; its failure (a {@code DatabaseAccessException}) is thrown as it is. */
    private static void await(CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private byte[] encode(V value) {
        return spec.codec().encode(requireNonNull(value, "value"));
    }

    private V decode(byte[] data) {
        return data == null ? null : spec.codec().decode(VersionedValue.payload(data));
    }
}
