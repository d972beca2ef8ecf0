package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import com.hazelcast.map.MapStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Presents a store keyed by E.164 strings (the database's key, {@code +8613800138000}) as a store
 * keyed by the digits as {@code Long} ({@link E164Digits#key}), the key of the fraud-number map.
 *
 * <p>Why the map and the table disagree on the key's type: the map holds ten million keys on a member
 * and a {@code Long} costs half the heap of the string; the table keeps the readable string so that
 * operators' SQL and the other registry tables stay as they are. The conversion happens only here.
 */
final class DigitKeyedMapStore<V> implements MapStore<Long, V> {

    private final MapStore<String, V> delegate;

    DigitKeyedMapStore(MapStore<String, V> delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public V load(Long key) {
        return delegate.load(E164Digits.e164(key));
    }

    @Override
    public Map<Long, V> loadAll(Collection<Long> keys) {
        List<String> numbers = new ArrayList<>(keys.size());
        for (Long key : keys) {
            numbers.add(E164Digits.e164(key));
        }
        Map<String, V> loaded = delegate.loadAll(numbers);
        Map<Long, V> result = new HashMap<>(Math.max(16, loaded.size() * 4 / 3 + 1));
        loaded.forEach((number, value) -> result.put(E164Digits.key(number), value));
        return result;
    }

    /** Streams the delegate's keys converted one by one; closing the result closes the delegate's stream. */
    @Override
    public Iterable<Long> loadAllKeys() {
        Iterable<String> numbers = delegate.loadAllKeys();
        return numbers == null ? null : new ConvertedKeys(numbers);
    }

    @Override
    public void store(Long key, V value) {
        delegate.store(E164Digits.e164(key), value);
    }

    @Override
    public void storeAll(Map<Long, V> map) {
        Map<String, V> rows = new HashMap<>(Math.max(16, map.size() * 4 / 3 + 1));
        map.forEach((key, value) -> rows.put(E164Digits.e164(key), value));
        delegate.storeAll(rows);
    }

    @Override
    public void delete(Long key) {
        delegate.delete(E164Digits.e164(key));
    }

    @Override
    public void deleteAll(Collection<Long> keys) {
        List<String> numbers = new ArrayList<>(keys.size());
        for (Long key : keys) {
            numbers.add(E164Digits.e164(key));
        }
        delegate.deleteAll(numbers);
        // MapStore.deleteAll's contract: remove from the collection the keys that were deleted.
        keys.clear();
    }

    /**
     * Hazelcast closes a {@code loadAllKeys} result that is {@link Closeable} once it has read it
     * (Hazelcast 5.7 {@code MapKeyLoader}); the JDBC stream behind it holds a connection until then.
     */
    private static final class ConvertedKeys implements Iterable<Long>, Closeable {
        private final Iterable<String> numbers;

        ConvertedKeys(Iterable<String> numbers) {
            this.numbers = numbers;
        }

        @Override
        public Iterator<Long> iterator() {
            Iterator<String> it = numbers.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Long next() {
                    return E164Digits.key(it.next());
                }
            };
        }

        @Override
        public void close() throws IOException {
            if (numbers instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
