package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link WorkStore} on a Hazelcast map of encoded records ({@code byte[]}, the codec's bytes: the same
 * bytes the database row holds). Compare-and-set compares those bytes, so a transition computed from a
 * stale copy never overwrites a newer one.
 */
final class HazelcastWorkStore<V> implements WorkStore<V> {
    /** A record rewritten this often under one update is a livelock, not contention. */
    private static final int MAX_TRIES = 1000;

    private final WorkStoreSpec<V> spec;
    private final IMap<String, byte[]> map;
    /** This member's database side of the store; null when the store is not durable. */
    private final DurableWorkEntries database;

    HazelcastWorkStore(WorkStoreSpec<V> spec, IMap<String, byte[]> map, DurableWorkEntries database) {
        this.spec = requireNonNull(spec, "spec");
        this.map = requireNonNull(map, "map");
        this.database = database;
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
    public CompletableFuture<Void> create(String key, V value) {
        return map.setAsync(key, encode(value)).toCompletableFuture();
    }

    /**
     * Durable: the batch is committed here first, in one transaction, blocking the caller; the cluster
     * write that follows is then not written again by this member's write-through store.
     */
    @Override
    public CompletableFuture<Void> createAll(Map<String, V> values) {
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, byte[]> encoded = new HashMap<>(values.size() * 2);
        values.forEach((k, v) -> encoded.put(requireNonNull(k, "key"), encode(v)));
        if (database == null) {
            return map.setAllAsync(encoded).toCompletableFuture();
        }
        try {
            database.storeNew(encoded);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return map.setAllAsync(encoded).toCompletableFuture()
                .whenComplete((ok, failed) -> database.forgetStored(encoded.keySet()));
    }

    @Override
    public void put(String key, V value, Duration ttl) {
        map.set(key, encode(value), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public V putIfAbsent(String key, V value, Duration ttl) {
        return decode(map.putIfAbsent(key, encode(value), ttl.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletableFuture<V> putIfAbsentAsync(String key, V value, Duration ttl) {
        return map.submitToKey(key, new PutIfAbsent(encode(value), ttl.toMillis())).toCompletableFuture()
                .thenApply(this::decode);
    }

    @Override
    public <R> R update(String key, Transition<V, R> transition) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            byte[] stored = map.get(key);
            V current = decode(stored);
            Transition.Result<V, R> result = transition.apply(current);
            V next = result.next();
            if (next == current) {
                return result.answer();
            }
            boolean won;
            if (stored == null) {
                won = map.putIfAbsent(key, encode(next)) == null;
            } else if (next == null) {
                won = map.remove(key, stored);
            } else {
                won = map.replace(key, stored, encode(next));
            }
            if (won) {
                return result.answer();
            }
        }
        throw new IllegalStateException(spec.name() + "[" + key + "] kept changing under " + MAX_TRIES + " updates");
    }

    @Override
    public V remove(String key) {
        return decode(map.remove(key));
    }

    @Override
    public boolean removeIf(String key, Predicate<V> condition) {
        byte[] stored = map.get(key);
        return stored != null && condition.test(decode(stored)) && map.remove(key, stored);
    }

    @Override
    public Set<String> localKeys() {
        return map.localKeySet();
    }

    private byte[] encode(V value) {
        return spec.codec().encode(requireNonNull(value, "value"));
    }

    private V decode(byte[] data) {
        return data == null ? null : spec.codec().decode(data);
    }
}
