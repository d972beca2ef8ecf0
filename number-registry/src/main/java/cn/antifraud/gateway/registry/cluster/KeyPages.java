package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.Page;
import com.hazelcast.map.IMap;
import com.hazelcast.query.PagingPredicate;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Key-ordered pages of a map with a cursor (the last key of the previous page). Each member sorts and
 * cuts its own partitions before the caller merges, so a page of a 10-million-entry map does not
 * pull the whole map.
 */
final class KeyPages {

    /** The largest page the admin API may ask for. */
    static final int MAX_LIMIT = 1000;

    private KeyPages() {
    }

    static <V> Page<V> page(IMap<String, V> map, String cursor, int limit) {
        return page(map, cursor, limit, Function.identity(), Function.identity());
    }

    /**
     * A page of a map whose keys are not the cursor's text: {@code cursorKey} turns the caller's
     * cursor into a key (throwing {@link IllegalArgumentException} for a cursor that cannot be one)
     * and {@code cursorText} the last key of a page into the next cursor.
     */
    static <K extends Comparable<K>, V> Page<V> page(IMap<K, V> map, String cursor, int limit,
                                                     Function<String, K> cursorKey, Function<K, String> cursorText) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        Predicate<K, V> after = cursor == null || cursor.isEmpty()
                ? Predicates.alwaysTrue()
                : Predicates.greaterThan("__key", cursorKey.apply(cursor));
        PagingPredicate<K, V> paging = Predicates.pagingPredicate(after, new KeyOrder<K, V>(), limit);
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet(paging));
        entries.sort(new KeyOrder<>());
        List<V> items = new ArrayList<>(entries.size());
        entries.forEach(e -> items.add(e.getValue()));
        String next = entries.size() == limit ? cursorText.apply(entries.get(entries.size() - 1).getKey()) : null;
        return new Page<>(items, next);
    }
}
