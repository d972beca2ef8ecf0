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
final class FullyLoadedMapStore<V> implements MapStore<String, V> {

    private final MapStore<String, V> delegate;

    FullyLoadedMapStore(MapStore<String, V> delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public V load(String key) {
        return null;
    }

    @Override
    public Map<String, V> loadAll(Collection<String> keys) {
        return delegate.loadAll(keys);
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return delegate.loadAllKeys();
    }

    @Override
    public void store(String key, V value) {
        delegate.store(key, value);
    }

    @Override
    public void storeAll(Map<String, V> map) {
        delegate.storeAll(map);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        delegate.deleteAll(keys);
    }
}
