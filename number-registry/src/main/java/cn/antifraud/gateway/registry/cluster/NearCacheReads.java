package cn.antifraud.gateway.registry.cluster;

import com.hazelcast.map.IMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Non-blocking reads of a near-cached map, for the SIP event loop.
 *
 * <p>Hazelcast's {@code IMap.getAsync} answers from the member's near cache with an already completed
 * future when the key is cached, including a cached miss: Hazelcast 5.7's near cache stores an absent
 * value as {@code CACHED_AS_NULL}, so a number looked up once is answered locally until a write to it
 * invalidates the entry. Only when the key is not in the near cache does it call the partition owner;
 * that call completes on Hazelcast's threads and fills the near cache.
 *
 * <p>{@link #now} therefore never waits: a cached key gives its answer, an uncached key gives
 * {@link Lookup#UNKNOWN} while the fill goes on in the background. Callers decide what unknown means;
 * for branding it means "no card", which can never brand a revoked number.
 */
final class NearCacheReads<V> {

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

    private final IMap<String, V> map;
    private final LongAdder coldLookups = new LongAdder();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    NearCacheReads(IMap<String, V> map) {
        this.map = map;
    }

    /** Answers from the near cache or says UNKNOWN and warms the key; never blocks. */
    Answer<V> now(String key) {
        coldLookups.increment();
        if (inFlight.contains(key)) {
            // Its fetch is under way; asking again would only send a second remote get.
            return new Answer<>(Lookup.UNKNOWN, null);
        }
        CompletableFuture<V> future = map.getAsync(key).toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally()) {
            coldLookups.decrement();
            return new Answer<>(Lookup.CACHED, future.getNow(null));
        }
        if (inFlight.size() < MAX_IN_FLIGHT && inFlight.add(key)) {
            future.whenComplete((value, failure) -> inFlight.remove(key));
        }
        return new Answer<>(Lookup.UNKNOWN, null);
    }

    /** The full answer, from the near cache or the partition owner; never blocks the caller. */
    CompletionStage<Optional<V>> eventually(String key) {
        return map.getAsync(key).thenApply(Optional::ofNullable);
    }

    /** How many lookups found the key outside the near cache and answered UNKNOWN. */
    long coldLookups() {
        return coldLookups.sum();
    }
}
