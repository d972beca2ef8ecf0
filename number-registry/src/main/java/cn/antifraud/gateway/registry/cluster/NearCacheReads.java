package cn.antifraud.gateway.registry.cluster;

import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.NearCachedMapProxyImpl;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Non-blocking reads of a near-cached map, for the SIP event loop.
 *
 * <p>Hazelcast's near cache caches misses: a {@code get} of an absent key stores
 * {@code NearCache.CACHED_AS_NULL} (Hazelcast 5.7, {@code AbstractNearCacheRecordStore.publishReservedRecord}),
 * so a number looked up once is answered locally until a write to it invalidates the entry. We
 * therefore need no miss cache of our own; {@code ClusterPropagationTest} proves that misses are
 * cached and that a cached miss is invalidated when the number is listed on another member.
 *
 * <p>{@link #now} reads the member's near cache directly and never waits: a cached key (value or
 * cached miss) gives its answer; an uncached key gives {@link Lookup#UNKNOWN} and starts one
 * asynchronous {@code getAsync}, which fetches from the partition owner on Hazelcast's threads and
 * fills the near cache. Callers decide what unknown means; for branding it means "no card", which can
 * never brand a revoked number.
 *
 * <p>Why the internal near cache rather than {@code getAsync(key).isDone()}: a near-cache hit through
 * {@code getAsync} still wraps the value in a future whose completion is handed to an executor, one
 * task per lookup; under load that cost hundreds of microseconds per lookup in our JMH run. Reading
 * {@code NearCachedMapProxyImpl.getNearCache()} is the same check {@code IMap.get} makes first,
 * including Hazelcast's stale-read detection, without the future. It is internal API: a Hazelcast
 * upgrade must rerun the registry tests, which fail if lookups stop being answered locally.
 */
final class NearCacheReads<K, V> {

    /** What a non-blocking lookup knew. */
    enum Lookup { CACHED, UNKNOWN }

    /** A non-blocking answer: {@code value} is meaningful only when {@code state} is CACHED. */
    record Answer<V>(Lookup state, V value) {
        Optional<V> known() {
            return state == Lookup.CACHED ? Optional.ofNullable(value) : Optional.empty();
        }
    }

    /** Bound on remote fetches in flight, so a burst of unknown numbers cannot flood the cluster. */
    static final int MAX_IN_FLIGHT = 10_000;

    private static final Answer<?> UNKNOWN = new Answer<>(Lookup.UNKNOWN, null);
    private static final Answer<?> CACHED_MISS = new Answer<>(Lookup.CACHED, null);

    private final IMap<K, V> map;
    private final Class<V> type;
    private final NearCache<Object, Object> nearCache;
    private final LongAdder coldLookups = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Set<K> inFlight = ConcurrentHashMap.newKeySet();

    NearCacheReads(IMap<K, V> map, Class<V> type) {
        this.map = map;
        this.type = type;
        if (!(map instanceof NearCachedMapProxyImpl<?, ?> nearCached)) {
            throw new IllegalStateException("map '" + map.getName() + "' has no near cache; the hot path needs one");
        }
        this.nearCache = nearCached.getNearCache();
    }

    /**
     * Answers from the near cache or says UNKNOWN and warms the key; never blocks and never throws:
     * a member that is shutting down (its near cache destroyed, invocations refused) answers UNKNOWN,
     * which for the SIP proxy means no card and no contact, and counts a failure.
     */
    @SuppressWarnings("unchecked")
    Answer<V> now(K key) {
        Object cached;
        try {
            cached = nearCache.get(key);
        } catch (RuntimeException notActive) {
            failures.increment();
            return (Answer<V>) UNKNOWN;
        }
        if (cached == NearCache.CACHED_AS_NULL) {
            return (Answer<V>) CACHED_MISS;
        }
        if (type.isInstance(cached)) {
            return new Answer<>(Lookup.CACHED, type.cast(cached));
        }
        coldLookups.increment();
        fetch(key);
        return (Answer<V>) UNKNOWN;
    }

    /** Fills the near cache with {@code key} in the background unless it holds it already; never blocks. */
    void warm(K key) {
        if (nearCache.get(key) == null) {
            fetch(key);
        }
    }

    private void fetch(K key) {
        if (inFlight.size() < MAX_IN_FLIGHT && inFlight.add(key)) {
            try {
                // getAsync fills the near cache when the owner answers; asking twice would only add load.
                map.getAsync(key).whenComplete((value, failure) -> {
                    inFlight.remove(key);
                    if (failure != null) {
                        failures.increment();
                    }
                });
            } catch (RuntimeException refused) {
                inFlight.remove(key);
                failures.increment();
            }
        }
    }

    /**
     * The full answer, never blocking: a completed stage when the near cache holds the key (value or
     * cached miss), without {@code getAsync}'s executor hand-off; otherwise the partition owner's
     * answer ({@code getAsync}, which also fills the near cache).
     */
    CompletionStage<Optional<V>> eventually(K key) {
        Object cached;
        try {
            cached = nearCache.get(key);
        } catch (RuntimeException notActive) {
            failures.increment();
            return CompletableFuture.failedFuture(notActive);
        }
        if (cached == NearCache.CACHED_AS_NULL) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (type.isInstance(cached)) {
            return CompletableFuture.completedFuture(Optional.of(type.cast(cached)));
        }
        coldLookups.increment();
        return map.getAsync(key).thenApply(v -> Optional.ofNullable(v));
    }

    /** How many lookups found the key outside the near cache and answered UNKNOWN. */
    long coldLookups() {
        return coldLookups.sum();
    }

    /** How many lookups or background fills failed (member shutting down, owner unreachable). */
    long failures() {
        return failures.sum();
    }
}
