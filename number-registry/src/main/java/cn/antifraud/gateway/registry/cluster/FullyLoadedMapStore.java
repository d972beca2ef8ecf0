package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import com.hazelcast.map.MapStore;
import java.util.Collection;
import java.util.Map;

/**
 * Wraps a registry map's write-through store so that a lookup of an absent key does not query the
 * database.
 *
 * <p>Why: Hazelcast calls {@link MapStore#load} on the partition owner for every {@code get} of a key
 * the map lacks. Most hot-path lookups are misses (ordinary subscribers are neither warning nor fraud
 * numbers), so each first miss would cost a JDBC round trip on a partition thread. Registry maps are
 * loaded EAGER at start and every write goes through the map to the database (write-through, one
 * cluster per database), so the map holds every row and an absent key is absent in the database too:
 * {@link #load} answers null without asking. Bulk loads ({@link #loadAllKeys}, {@link #loadAll}) and
 * all writes go to the database as usual.
 */
final class FullyLoadedMapStore<K, V> implements MapStore<K, V> {

    private final MapStore<K, V> delegate;

    FullyLoadedMapStore(MapStore<K, V> delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public V load(K key) {
        return null;
    }

    @Override
    public Map<K, V> loadAll(Collection<K> keys) {
        return delegate.loadAll(keys);
    }

    @Override
    public Iterable<K> loadAllKeys() {
        return delegate.loadAllKeys();
    }

    @Override
    public void store(K key, V value) {
        delegate.store(key, value);
    }

    @Override
    public void storeAll(Map<K, V> map) {
        delegate.storeAll(map);
    }

    @Override
    public void delete(K key) {
        delegate.delete(key);
    }

    @Override
    public void deleteAll(Collection<K> keys) {
        delegate.deleteAll(keys);
    }
}
